import { useQuery } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import { statusSettingsQuery } from '@/lib/queries/status';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { useUpdateStatusSettings } from './use-incident-actions';

/** For admins: turn the public status page on or off, and require its share link. */
export function StatusSettingsCard() {
  const backend = useBackend();
  const settings = useQuery(statusSettingsQuery(backend));
  const update = useUpdateStatusSettings();
  if (settings.error)
    return <ErrorMessage error={settings.error} retry={() => void settings.refetch()} />;
  const s = settings.data;
  if (!s) return null;
  const save = (change: { enabled?: boolean; tokenRequired?: boolean; rotateToken?: boolean }) =>
    update.mutate({
      version: s.version,
      enabled: s.enabled,
      tokenRequired: s.tokenRequired,
      ...change,
    });
  // The server keeps a hash of the share token: it is in the answer that made it, and never again.
  const madeToken = update.data?.shareToken;
  const page = `${window.location.origin}/status`;
  const link = madeToken ? `${page}?token=${encodeURIComponent(madeToken)}` : page;
  return (
    <section
      aria-labelledby="status-settings-heading"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="status-settings-heading" className="text-lg font-bold">
        Public status page
      </h2>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={s.enabled}
          disabled={update.isPending}
          onChange={(e) => save({ enabled: e.target.checked })}
        />
        The status page is on
      </label>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={s.tokenRequired}
          disabled={update.isPending || !s.enabled}
          onChange={(e) => save({ tokenRequired: e.target.checked })}
        />
        Only people with the share link may open it
      </label>
      {s.enabled && (!s.tokenRequired || madeToken) && (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          Link:{' '}
          <a href={link} className="break-all font-mono text-accent hover:underline">
            {link}
          </a>
        </p>
      )}
      {s.enabled && madeToken && s.tokenRequired && (
        <p role="status" className="text-sm font-semibold">
          Copy this link now: it will not be shown again.
        </p>
      )}
      {s.enabled && s.tokenRequired && (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          {!madeToken &&
            'The share link was shown once, when it was made. To share the page again, make a new link.'}
          <Button disabled={update.isPending} onClick={() => save({ rotateToken: true })}>
            New link (old one stops working)
          </Button>
        </p>
      )}
      {update.error && <ErrorMessage error={update.error} />}
    </section>
  );
}

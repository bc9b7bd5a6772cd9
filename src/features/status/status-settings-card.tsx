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
      tokenRequired: s.shareToken !== null,
      ...change,
    });
  const link = `${window.location.origin}/status${s.shareToken ? `?token=${encodeURIComponent(s.shareToken)}` : ''}`;
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
          checked={s.shareToken !== null}
          disabled={update.isPending || !s.enabled}
          onChange={(e) => save({ tokenRequired: e.target.checked })}
        />
        Only people with the share link may open it
      </label>
      {s.enabled && (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          Link:{' '}
          <a href={link} className="break-all font-mono text-accent hover:underline">
            {link}
          </a>
          {s.shareToken && (
            <Button disabled={update.isPending} onClick={() => save({ rotateToken: true })}>
              New link (old one stops working)
            </Button>
          )}
        </p>
      )}
      {update.error && <ErrorMessage error={update.error} />}
    </section>
  );
}

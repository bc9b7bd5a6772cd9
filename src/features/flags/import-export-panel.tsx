import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isBackendError } from '@/backend/errors';
import { useBackend, capability } from '@/lib/backend-context';
import { OtherEnvironmentNote } from '@/components/other-environment-note';
import { ENVIRONMENTS, type Environment } from '@/domain/environments';
import { useViewSettings } from '@/lib/view-settings';
import { Field, inputClass } from '@/components/field';
import { describeError } from '@/lib/describe-error';

/** flagd JSON in and out, one environment at a time. An import is all or nothing. */
export function ImportExportPanel({ canImport }: { canImport: boolean }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [environment, setEnvironment] = useState<Environment>(
    () => useViewSettings.getState().environment,
  );
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const exportFlags = useMutation({
    mutationFn: () => capability(backend, 'flags').exportFlags(environment),
    onSuccess: (document) => {
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }),
      );
      const link = Object.assign(window.document.createElement('a'), {
        href: url,
        download: `flags-${environment}.flagd.json`,
      });
      link.click();
      URL.revokeObjectURL(url);
    },
  });
  const importFlags = useMutation({
    mutationFn: (document: unknown) =>
      capability(backend, 'flags').importFlags(environment, document),
    onSuccess: () => {
      setText('');
      void queryClient.invalidateQueries({ queryKey: ['flags'] });
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
  });
  const submit = () => {
    try {
      setParseError(null);
      importFlags.mutate(JSON.parse(text));
    } catch (error) {
      setParseError(`Not JSON: ${(error as Error).message}`);
    }
  };
  const importError =
    importFlags.error &&
    (isBackendError(importFlags.error) && importFlags.error.issues[0]
      ? `${importFlags.error.issues[0].path}: ${importFlags.error.issues[0].message}`
      : describeError(importFlags.error));
  return (
    <section
      aria-labelledby="flagd-heading"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="flagd-heading" className="text-xl font-bold">
        flagd JSON
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Environment for import and export">
          {(control) => (
            <select
              {...control}
              className={inputClass}
              value={environment}
              onChange={(e) => setEnvironment(e.target.value as Environment)}
            >
              {ENVIRONMENTS.map((env) => (
                <option key={env}>{env}</option>
              ))}
            </select>
          )}
        </Field>
        <OtherEnvironmentNote shown={environment} what="Import and export use" />
        <button
          type="button"
          onClick={() => exportFlags.mutate()}
          className="rounded-md border border-line bg-raised px-3 py-1 text-sm font-semibold hover:border-muted"
        >
          Export {environment}
        </button>
      </div>
      {canImport && (
        <>
          <Field label="flagd document to import" error={parseError ?? importError ?? undefined}>
            {(control) => (
              <textarea
                {...control}
                rows={4}
                className={`${inputClass} font-mono text-xs`}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            )}
          </Field>
          <div className="flex items-center gap-3">
            <button
              type="button"
              disabled={!text.trim() || importFlags.isPending}
              onClick={submit}
              className="rounded-md bg-accent px-3 py-1 text-sm font-semibold text-bg disabled:opacity-50"
            >
              Import into {environment}
            </button>
            {importFlags.data && (
              <span role="status" className="text-sm text-ok">
                Imported: {importFlags.data.created.length} new, {importFlags.data.updated.length}{' '}
                updated flags.
              </span>
            )}
          </div>
        </>
      )}
    </section>
  );
}

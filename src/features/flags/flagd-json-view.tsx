import type { Environment } from '@/domain/environments';
import { segmentToLogic, flagToFlagd, type FlagSpec, type Segment } from '@/domain/flags';

/** The flag as flagd's flag-definition JSON for one environment: what applications are served from. */
export function FlagdJsonView({
  spec,
  environment,
  segments,
}: {
  spec: FlagSpec | null;
  environment: Environment;
  segments: readonly Segment[];
}) {
  const used = new Set(
    spec?.environments[environment].rules.flatMap((r) =>
      r.conditions.flatMap((c) => (c.operator === 'segment' ? [c.segment] : [])),
    ) ?? [],
  );
  const document = spec && {
    flags: { [spec.key || 'new-flag']: flagToFlagd(spec, environment) },
    ...(used.size > 0
      ? {
          $evaluators: Object.fromEntries(
            segments.filter((s) => used.has(s.key)).map((s) => [s.key, segmentToLogic(s)]),
          ),
        }
      : {}),
  };
  return (
    <details className="rounded-lg border border-line bg-surface p-3">
      <summary className="cursor-pointer text-sm font-semibold">
        flagd JSON for {environment}
      </summary>
      {document ? (
        <pre
          aria-label={`flagd JSON for ${environment}`}
          className="mt-2 max-h-96 overflow-auto rounded bg-raised p-2 font-mono text-xs"
        >
          {JSON.stringify(document, null, 2)}
        </pre>
      ) : (
        <p className="mt-2 text-sm text-muted">Fix the fields marked in red to see the JSON.</p>
      )}
    </details>
  );
}

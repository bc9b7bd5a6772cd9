import { formatClock } from '@/lib/format';
import { metricLabel, type Rollout, type RolloutAnalysisRecord } from '@/domain/rollouts';
import { outcomeWords } from './rollout-text';

const OUTCOME_STYLE: Record<string, string> = {
  pass: 'border-ok text-ok',
  fail: 'border-danger text-danger',
  'sample-ratio-mismatch': 'border-warn text-warn',
};

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

/**
 * "Split: flag on got 31.2 % of the traffic, 30.0 % expected, p = 0.42 (as set)". The check
 * counts the simulation's users but a real service's requests, and the record does not say
 * which: "traffic" is true of both.
 */
function describeSampleRatio(check: NonNullable<RolloutAnalysisRecord['sampleRatio']>): string {
  const seen =
    check.observedShare === null
      ? 'no traffic yet'
      : `flag on got ${pct(check.observedShare)} of the traffic`;
  const p =
    check.pValue === null
      ? ''
      : `, p ${check.pValue < 0.001 ? '< 0.001' : `= ${check.pValue.toFixed(3)}`}`;
  const verdict =
    check.outcome === 'match'
      ? 'as set'
      : check.outcome === 'mismatch'
        ? 'not as set: held'
        : 'too little traffic to tell';
  return `Split: ${seen}, ${pct(check.expectedShare)} expected${p} (${verdict})`;
}

function Analysis({ analysis }: { analysis: RolloutAnalysisRecord }) {
  const heading = `Step ${analysis.stepIndex + 1} at ${analysis.weight} %, ${formatClock(analysis.t)}`;
  return (
    <li
      aria-label={`${heading}: ${outcomeWords(analysis.outcome)}`}
      className="rounded-md border border-line p-3"
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold">{heading}</span>
        <span
          className={
            'rounded-full border px-2 py-0.5 text-xs font-semibold uppercase ' +
            (OUTCOME_STYLE[analysis.outcome] ?? 'border-muted text-muted')
          }
        >
          {outcomeWords(analysis.outcome)}
        </span>
      </div>
      {analysis.sampleRatio && (
        <p
          className={`mt-2 text-sm ${analysis.sampleRatio.outcome === 'mismatch' ? 'font-semibold text-warn' : 'text-muted'}`}
        >
          {describeSampleRatio(analysis.sampleRatio)}
        </p>
      )}
      <ul className="mt-2 flex flex-col gap-1 text-sm">
        {analysis.judgements.map((j) => (
          <li key={j.metric} className={j.verdict.regression ? 'font-semibold text-danger' : ''}>
            <span className="text-muted">{metricLabel(j.metric)}: </span>
            {j.verdict.regression && <span aria-hidden="true">✗ </span>}
            {j.text}
          </li>
        ))}
      </ul>
    </li>
  );
}

/** Every analysis the judge made, newest first, with its numbers. */
export function RolloutAnalyses({ rollout }: { rollout: Rollout }) {
  const analyses = [...rollout.analyses].reverse();
  return (
    <section aria-labelledby="analyses-heading" className="flex flex-col gap-2">
      <h2 id="analyses-heading" className="text-lg font-bold">
        The judge, step by step
      </h2>
      <p className="text-sm text-muted">
        Shares of requests (5xx and error rates) compare the two sides&rsquo; pooled requests;
        latency and CPU compare each beat&rsquo;s value by Mann-Whitney U. At{' '}
        {Math.round(rollout.spec.analysis.confidence * 100)} % confidence, with at least{' '}
        {rollout.spec.analysis.minSamples} samples (and for a share, as many requests) each side
        before any verdict.
      </p>
      {analyses.length === 0 ? (
        <p className="text-sm text-muted">No analysis yet: the step is still gathering samples.</p>
      ) : (
        <ol className="flex flex-col gap-2">
          {analyses.map((a) => (
            <Analysis key={`${a.t}-${a.stepIndex}`} analysis={a} />
          ))}
        </ol>
      )}
    </section>
  );
}

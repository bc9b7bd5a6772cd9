import type { HypothesisJudgement } from '@/domain/hypothesis';
import { metricLabel } from '@/domain/rollouts';

const HEADLINES: Record<HypothesisJudgement['outcome'], string> = {
  held: 'The hypothesis held',
  'not-held': 'The hypothesis did not hold',
  'not-enough-data': 'Not enough data to judge the hypothesis',
};

const TONES: Record<HypothesisJudgement['outcome'], string> = {
  held: 'text-ok',
  'not-held': 'text-danger',
  'not-enough-data': 'text-muted',
};

/**
 * The statistical judge's verdict on an ended run, target against control: whether the
 * hypothesis held, and per metric the numbers it was decided on (docs/judge.md).
 */
export function HypothesisVerdict({
  verdict,
}: {
  verdict: HypothesisJudgement | null | undefined;
}) {
  if (!verdict) {
    return (
      <section aria-label="Hypothesis verdict" className="text-sm text-muted">
        The judge gave no verdict on this run (it was interrupted, or ended before verdicts were
        kept).
      </section>
    );
  }
  return (
    <section aria-label="Hypothesis verdict" className="flex flex-col gap-1 text-sm">
      <p className={`font-semibold ${TONES[verdict.outcome]}`}>
        {HEADLINES[verdict.outcome]}{' '}
        <span className="font-normal text-muted">
          {verdict.abortedOn
            ? `(the run aborted on "${verdict.abortedOn}"; over the whole run, target against control:)`
            : '(the judge, target against control)'}
        </span>
      </p>
      <ul className="flex flex-col gap-0.5">
        {verdict.judgements.map((j) => (
          <li key={j.metric} className={j.verdict.regression ? 'font-semibold text-danger' : ''}>
            <span className="text-muted">{metricLabel(j.metric)}: </span>
            {j.verdict.regression && <span aria-hidden="true">✗ </span>}
            {j.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

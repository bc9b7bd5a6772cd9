import { useMemo } from 'react';
import { isStale, useConnection } from '@/lib/live/connection-store';
import { ErrorMessage } from '@/components/error-message';
import type { ChartMarker, TimeAxis } from '@/components/chart/chart-types';
import { ACTIVE_ROLLOUT_STATES, rolloutSides, type Rollout } from '@/domain/rollouts';
import { RolloutChart } from './rollout-chart';
import { rolloutSeriesKeys } from './rollout-series';
import { useRolloutHistory } from './use-rollout-history';

/** While a rollout runs, the last minutes slide along (ms). */
const LIVE_SPAN_MS = 10 * 60_000;
const MARGIN_MS = 30_000;

/** Each change of weight after the first, and the rollback or abort as a stop. */
function rolloutMarkers(rollout: Pick<Rollout, 'weights' | 'state'>): ChartMarker[] {
  const failed = rollout.state === 'rolled-back' || rollout.state === 'aborted';
  return rollout.weights.slice(1).map((w, i, rest) => {
    const last = i === rest.length - 1;
    if (last && failed && w.weight === 0)
      return {
        t: w.t,
        label: rollout.state === 'aborted' ? 'aborted' : 'rolled back',
        tone: 'stop',
      };
    return { t: w.t, label: `${w.weight} %`, tone: 'step' };
  });
}

function Legend({ target, control }: { target: string; control: string }) {
  const items = [
    { label: target, swatch: 'border-t-[3px] border-target' },
    { label: control, swatch: 'border-t-[3px] border-control' },
    { label: 'regression line', swatch: 'border-t-2 border-dashed border-danger' },
  ];
  return (
    <ul aria-label="Chart legend" className="flex flex-wrap gap-x-5 gap-y-1 text-sm text-muted">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-2">
          <span aria-hidden="true" className={`inline-block w-6 ${item.swatch}`} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** Live charts of every metric the rollout is judged on: the new side against the old. */
export function RolloutCharts({ rollout, chartWidth }: { rollout: Rollout; chartWidth?: number }) {
  const { spec, createdAt, updatedAt, state, weights } = rollout;
  const historyError = useRolloutHistory(spec, createdAt);
  const keys = useMemo(() => rolloutSeriesKeys(spec), [spec]);
  const labels = useMemo(() => rolloutSides(spec), [spec]);
  const active = ACTIVE_ROLLOUT_STATES.includes(state);
  const window: TimeAxis = useMemo(
    () =>
      active
        ? { kind: 'sliding', spanMs: LIVE_SPAN_MS }
        : { kind: 'fixed', from: createdAt - MARGIN_MS, to: updatedAt + MARGIN_MS },
    [active, createdAt, updatedAt],
  );
  const markers = useMemo(() => rolloutMarkers({ weights, state }), [weights, state]);
  const connection = useConnection((s) => s.state);
  const everLive = useConnection((s) => s.everLive);
  const stale = everLive && isStale(connection);
  const title = `${labels.target[0]?.toUpperCase()}${labels.target.slice(1)} against ${labels.control}`;
  return (
    <section aria-label={title} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-bold">{title}</h2>
        <Legend target={labels.target} control={labels.control} />
      </div>
      {historyError !== null && <ErrorMessage error={historyError} />}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        {spec.analysis.metrics.map((metric) => (
          <RolloutChart
            key={metric}
            metric={metric}
            keys={keys}
            labels={labels}
            window={window}
            markers={markers}
            stale={stale}
            width={chartWidth}
          />
        ))}
      </div>
    </section>
  );
}

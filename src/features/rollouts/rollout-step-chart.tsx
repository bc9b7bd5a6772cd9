import type { Rollout } from '@/domain/rollouts';
import { formatClock } from '@/lib/format';
import { useServerNow } from '@/lib/live/use-server-now';
import { stepEndLabel } from './rollout-text';

const WIDTH = 480;
const HEIGHT = 132;
const PAD = { top: 18, right: 10, bottom: 20, left: 40 };

/** "5 % (wait 60 s) → 25 % (until 4 Dec, 10:00) → 50 % (waits for a person) → 100 %" */
export function describePlan(rollout: Pick<Rollout, 'spec'>): string {
  return rollout.spec.steps
    .map((s) => (s.weight === 100 ? '100 %' : `${s.weight} % (${stepEndLabel(s)})`))
    .join(' → ');
}

/** "Weight over time: 5 % at 09:00:00, 25 % at 09:01:00, 0 % at 09:01:40." */
function describeWeights(rollout: Pick<Rollout, 'weights'>): string {
  const parts = rollout.weights.map((w) => `${w.weight} % at ${formatClock(w.t)}`);
  return `Weight over time: ${parts.join(', ')}.`;
}

/**
 * The weight on the new side over time, as a step line (like an experiment's ramp), with the
 * planned steps as faint guides; it runs up to `now` while the rollout is active.
 */
export function RolloutStepChart({ rollout }: { rollout: Rollout }) {
  const now = useServerNow();
  const points = rollout.weights;
  const start = points[0]?.t ?? rollout.createdAt;
  const active = ['progressing', 'paused', 'held'].includes(rollout.state);
  const end = Math.max(active ? now : rollout.updatedAt, start + 1000);
  const x = (t: number) =>
    PAD.left + ((Math.min(t, end) - start) / (end - start)) * (WIDTH - PAD.left - PAD.right);
  const y = (weight: number) =>
    HEIGHT - PAD.bottom - (weight / 100) * (HEIGHT - PAD.top - PAD.bottom);
  const path = points
    .map((p, i) => {
      const nextT = points[i + 1]?.t ?? end;
      return `${i === 0 ? 'M' : 'L'}${x(p.t)},${y(p.weight)} L${x(nextT)},${y(p.weight)}`;
    })
    .join(' ');
  const failed = rollout.state === 'rolled-back' || rollout.state === 'aborted';
  const colour = failed ? 'var(--fl-danger)' : 'var(--fl-target)';
  return (
    <figure className="m-0 flex flex-col gap-1">
      <svg
        role="img"
        aria-label={describeWeights(rollout)}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="w-full max-w-xl"
      >
        {[0, 50, 100].map((w) => (
          <g key={w}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(w)}
              y2={y(w)}
              stroke="var(--fl-grid)"
              strokeDasharray={w === 0 ? undefined : '3 3'}
            />
            <text
              x={PAD.left - 4}
              y={y(w) + 3}
              fontSize={12}
              textAnchor="end"
              fill="var(--fl-muted)"
            >
              {w} %
            </text>
          </g>
        ))}
        {rollout.spec.steps.map((s, i) => (
          <line
            key={i}
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(s.weight)}
            y2={y(s.weight)}
            stroke="var(--fl-line)"
            strokeDasharray="1 4"
          />
        ))}
        <path
          d={`${path} L${x(end)},${y(0)} L${x(start)},${y(0)} Z`}
          fill={colour}
          fillOpacity={0.15}
          stroke="none"
        />
        <path d={path} fill="none" stroke={colour} strokeWidth={2} />
        {points.map((p, i) => (
          <text
            key={`${p.t}-${i}`}
            // Near the right edge the label goes on the line's left, inside the chart.
            x={x(p.t) > WIDTH * 0.85 ? x(p.t) - 3 : x(p.t) + 3}
            textAnchor={x(p.t) > WIDTH * 0.85 ? 'end' : 'start'}
            y={Math.max(y(p.weight) - 4, PAD.top - 4)}
            fontSize={12}
            fill="var(--fl-fg)"
          >
            {p.weight} %
          </text>
        ))}
        <text x={PAD.left} y={HEIGHT - 4} fontSize={12} fill="var(--fl-muted)">
          {formatClock(start)}
        </text>
        <text
          x={WIDTH - PAD.right}
          y={HEIGHT - 4}
          fontSize={12}
          textAnchor="end"
          fill="var(--fl-muted)"
        >
          {active ? 'now' : formatClock(end)}
        </text>
      </svg>
      <figcaption className="text-xs text-muted">Plan: {describePlan(rollout)}</figcaption>
    </figure>
  );
}

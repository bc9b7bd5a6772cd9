import {
  ATTACK_INFO,
  formatDuration,
  rampSchedule,
  totalDurationSeconds,
  type AttackType,
  type MagnitudeStep,
} from '@/domain';

const WIDTH = 360;
const HEIGHT = 96;
const PAD = { top: 14, right: 8, bottom: 18, left: 8 };

const finite = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** "Ramp: 50 % for 2 min, then 60 % for 2 min. Total 4 min." */
function describeRamp(type: AttackType, steps: readonly MagnitudeStep[]): string {
  const unit = ATTACK_INFO[type].magnitude?.unit;
  const parts = steps.map((step) => {
    const duration = finite(step.durationSeconds) ? formatDuration(step.durationSeconds) : '?';
    if (!unit) return `for ${duration}`;
    return `${finite(step.magnitude) ? `${step.magnitude} ${unit}` : '?'} for ${duration}`;
  });
  return `Ramp: ${parts.join(', then ')}. Total ${formatDuration(totalDurationSeconds(steps.filter((s) => finite(s.durationSeconds))))}.`;
}

/** The ramp drawn as magnitude over time, with the total duration. */
export function StepChart({ type, steps }: { type: AttackType; steps: readonly MagnitudeStep[] }) {
  const info = ATTACK_INFO[type].magnitude;
  const usable = steps.map((s) => ({
    ...s,
    durationSeconds: finite(s.durationSeconds) && s.durationSeconds > 0 ? s.durationSeconds : 0,
  }));
  const total = totalDurationSeconds(usable);
  const magnitudes = usable.map((s) => (info ? (finite(s.magnitude) ? s.magnitude : 0) : 1));
  const ceiling = info ? (info.unit === '%' ? 100 : Math.max(1, ...magnitudes) * 1.25) : 1;
  const x = (seconds: number) =>
    PAD.left + (total > 0 ? (seconds / total) * (WIDTH - PAD.left - PAD.right) : 0);
  const y = (magnitude: number) =>
    HEIGHT -
    PAD.bottom -
    (Math.min(magnitude, ceiling) / ceiling) * (HEIGHT - PAD.top - PAD.bottom);
  const schedule = rampSchedule(usable);
  const path = schedule
    .map((step, i) => {
      const level = y(magnitudes[i] ?? 0);
      return `${i === 0 ? `M${x(0)},${y(0)} ` : ''}L${x(step.startsAtSeconds)},${level} L${x(step.endsAtSeconds)},${level}`;
    })
    .join(' ');

  return (
    <figure className="flex flex-col gap-1">
      <svg
        role="img"
        aria-label={describeRamp(type, steps)}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="w-full max-w-md"
      >
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} stroke="var(--fl-line)" />
        {total > 0 && (
          <path
            d={`${path} L${x(total)},${y(0)}`}
            fill="var(--fl-target)"
            fillOpacity={0.18}
            stroke="var(--fl-target)"
            strokeWidth={2}
          />
        )}
        {schedule.map((step, i) => (
          <text
            key={step.index}
            x={(x(step.startsAtSeconds) + x(step.endsAtSeconds)) / 2}
            y={y(magnitudes[i] ?? 0) - 3}
            textAnchor="middle"
            fontSize={10}
            fill="var(--fl-fg)"
          >
            {info ? `${finite(step.magnitude) ? step.magnitude : '?'} ${info.unit}` : 'down'}
          </text>
        ))}
        <text x={PAD.left} y={HEIGHT - 4} fontSize={10} fill="var(--fl-muted)">
          0
        </text>
        <text
          x={WIDTH - PAD.right}
          y={HEIGHT - 4}
          fontSize={10}
          textAnchor="end"
          fill="var(--fl-muted)"
        >
          {formatDuration(total)}
        </text>
      </svg>
      <figcaption className="text-xs text-muted">Total duration {formatDuration(total)}</figcaption>
    </figure>
  );
}

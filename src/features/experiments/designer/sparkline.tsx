import type { TimedValue } from '@/domain';

const WIDTH = 220;
const HEIGHT = 48;
const PAD = 3;

interface SparklineProps {
  values: readonly TimedValue[];
  /** Drawn as a dashed line: where the condition trips. */
  threshold?: number | undefined;
  label: string;
  tone?: 'ok' | 'danger';
}

/** A metric's recent values as a small line, with the threshold across it. */
export function Sparkline({ values, threshold, label, tone = 'ok' }: SparklineProps) {
  const numbers = values.map((v) => v.value);
  const withThreshold =
    threshold !== undefined && Number.isFinite(threshold) ? [...numbers, threshold] : numbers;
  const max = Math.max(1e-9, ...withThreshold) * 1.1;
  const min = Math.min(0, ...withThreshold);
  const first = values[0]?.t ?? 0;
  const span = Math.max(1, (values[values.length - 1]?.t ?? 1) - first);
  const x = (t: number) => PAD + ((t - first) / span) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - ((v - min) / (max - min)) * (HEIGHT - 2 * PAD);
  const points = values.map((v) => `${x(v.t).toFixed(1)},${y(v.value).toFixed(1)}`).join(' ');
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      className="shrink-0 rounded border border-line bg-bg"
    >
      {values.length > 1 && (
        <polyline
          points={points}
          fill="none"
          stroke={tone === 'danger' ? 'var(--fl-danger)' : 'var(--fl-service)'}
          strokeWidth={1.5}
        />
      )}
      {threshold !== undefined && Number.isFinite(threshold) && (
        <line
          x1={0}
          x2={WIDTH}
          y1={y(threshold)}
          y2={y(threshold)}
          stroke="var(--fl-danger)"
          strokeDasharray="4 3"
          strokeWidth={1}
        />
      )}
    </svg>
  );
}

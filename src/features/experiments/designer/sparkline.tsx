import type { TimedValue } from '@/domain';

const WIDTH = 220;
const HEIGHT = 48;
const PAD = 3;

interface SparklineProps {
  values: readonly TimedValue[];
  /** Drawn as a dashed line: where the condition trips. */
  threshold?: number | undefined;
  /**
   * A "keeps rising" condition, drawn as what it is: a dashed slope from where the series stood
   * at the window's start to that value plus the allowed rise, now.
   */
  slope?: { from: TimedValue; to: TimedValue } | undefined;
  label: string;
  tone?: 'ok' | 'danger';
}

/** A metric's recent values as a small line, with the threshold or the rising slope across it. */
export function Sparkline({ values, threshold, slope, label, tone = 'ok' }: SparklineProps) {
  const numbers = values.map((v) => v.value);
  const guides = [
    ...(threshold !== undefined && Number.isFinite(threshold) ? [threshold] : []),
    ...(slope ? [slope.from.value, slope.to.value] : []),
  ];
  const withGuides = [...numbers, ...guides];
  const max = Math.max(1e-9, ...withGuides) * 1.1;
  const min = Math.min(0, ...withGuides);
  const first = Math.min(values[0]?.t ?? 0, slope?.from.t ?? Infinity);
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
      {slope && (
        <g data-testid="rising-slope">
          <line
            x1={x(slope.from.t)}
            y1={y(slope.from.value)}
            x2={x(slope.to.t)}
            y2={y(slope.to.value)}
            stroke="var(--fl-danger)"
            strokeDasharray="4 3"
            strokeWidth={1}
          />
          <circle cx={x(slope.from.t)} cy={y(slope.from.value)} r={2} fill="var(--fl-danger)" />
        </g>
      )}
    </svg>
  );
}

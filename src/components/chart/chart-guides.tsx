import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartThreshold } from './chart-types';
import { ThresholdLine } from './threshold-line';

interface ChartGuidesProps {
  xTicks: number[];
  yTicks: number[];
  thresholds: ChartThreshold[];
}

/**
 * The grid and the fixed abort thresholds of a chart, drawn with its scales. Each threshold
 * is an image named for what it means ("abort threshold: 5xx rate > 1 % for 10 s"), so it
 * can be found by role and name.
 */
export function ChartGuides({ xTicks, yTicks, thresholds }: ChartGuidesProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  if (!x || !y || !area) return null;
  const left = area.x;
  const right = area.x + area.width;
  const top = area.y;
  const bottom = area.y + area.height;
  const atX = (t: number) => x(t) ?? Number.NaN;
  const atY = (v: number) => y(v) ?? Number.NaN;
  return (
    <g className="chart-guides">
      <g stroke="var(--fl-grid)" strokeDasharray="3 3">
        {yTicks.map((v) => (
          <line key={`y${v}`} x1={left} x2={right} y1={atY(v)} y2={atY(v)} />
        ))}
        {xTicks.map((t) => (
          <line key={`x${t}`} x1={atX(t)} x2={atX(t)} y1={top} y2={bottom} />
        ))}
      </g>
      {thresholds.map((t) => (
        <ThresholdLine
          key={`${t.label}-${t.value}`}
          label={t.label}
          shortLabel={t.shortLabel}
          y={atY(t.value)}
          left={left}
          right={right}
          top={top}
        />
      ))}
    </g>
  );
}

import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartMarker, ChartThreshold } from './chart-types';

export interface ChartGuidesProps {
  xTicks: number[];
  yTicks: number[];
  thresholds: ChartThreshold[];
  markers: ChartMarker[];
}

/**
 * The grid, the abort thresholds (horizontal) and the ramp markers (vertical) of a chart,
 * drawn with its scales. Each threshold and marker is an image named for what it means
 * ("abort threshold: 5xx rate > 1 % for 10 s"), so it can be found by role and name.
 */
export function ChartGuides({ xTicks, yTicks, thresholds, markers }: ChartGuidesProps) {
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
  const inside = (px: number) => px >= left - 0.5 && px <= right + 0.5;
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
        <g key={`${t.label}-${t.value}`} role="img" aria-label={`abort threshold: ${t.label}`}>
          <line x1={left} x2={right} y1={atY(t.value)} y2={atY(t.value)} stroke="var(--fl-danger)" strokeWidth={1.5} strokeDasharray="7 4" />
          <text x={right - 5} y={atY(t.value) - 5} textAnchor="end" fill="var(--fl-danger)" fontSize={12}>
            {t.label}
          </text>
        </g>
      ))}
      {markers
        .filter((m) => inside(atX(m.t)))
        .map((m) => {
          const stop = m.tone === 'stop';
          const colour = stop ? 'var(--fl-danger)' : 'var(--fl-muted)';
          // A stop often comes right after a step: its label goes on the other side of the line.
          return (
            <g key={`${m.label}-${m.t}`} role="img" aria-label={`marker: ${m.label}`}>
              <line x1={atX(m.t)} x2={atX(m.t)} y1={top} y2={bottom} stroke={colour} strokeWidth={stop ? 2 : 1} />
              <text x={atX(m.t) + (stop ? -5 : 5)} y={top + 12} textAnchor={stop ? 'end' : 'start'} fill={colour} fontSize={11}>
                {m.label}
              </text>
            </g>
          );
        })}
    </g>
  );
}

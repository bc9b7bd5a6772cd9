import { memo, useId } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { formatClock } from '@/lib/format';
import { labelledLine } from './labelled-line';
import type { ChartMarker, ChartSeries, ChartThreshold } from './chart-types';

export interface MetricChartProps {
  title: string;
  unit: string;
  series: ChartSeries[];
  thresholds: ChartThreshold[];
  markers: ChartMarker[];
  /** Time window shown (epoch ms). */
  domain: [number, number];
  /** The data stopped arriving: keep it visible, marked as such. */
  stale?: boolean;
  /** A one-line reading for people who cannot see the chart. */
  summary: string;
  height?: number;
  /** Fixed width in px; without it the chart fills its container. */
  width?: number;
}

/** Upper end of the value axis: the data and every threshold fit, with headroom. */
function valueCeiling(series: ChartSeries[], thresholds: ChartThreshold[]): number {
  let max = 0;
  for (const s of series) for (const p of s.points) if (p.value !== null && p.value > max) max = p.value;
  for (const t of thresholds) if (t.value > max) max = t.value;
  if (max <= 0) return 1;
  const padded = max * 1.15;
  const magnitude = 10 ** Math.floor(Math.log10(padded));
  return Math.ceil(padded / magnitude) * magnitude;
}

/** One metric over time: series against each other, abort thresholds and ramp markers. Never animates. */
export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const { title, unit, series, thresholds, markers, domain, stale = false, summary, height = 200, width } = props;
  const titleId = useId();
  const summaryId = useId();
  const ceiling = valueCeiling(series, thresholds);
  const chart = (
    <LineChart width={width} height={height} margin={{ top: 14, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke="var(--fl-grid)" strokeDasharray="3 3" />
      <XAxis dataKey="t" type="number" domain={domain} allowDataOverflow tickFormatter={formatClock} minTickGap={40} stroke="var(--fl-line)" />
      <YAxis domain={[0, ceiling]} width={52} unit={unit === '%' ? '%' : ''} allowDataOverflow stroke="var(--fl-line)" />
      {series.map((s) => (
        <Line
          key={s.name}
          name={s.name}
          data={s.points}
          dataKey="value"
          type="linear"
          stroke={s.color}
          strokeWidth={s.secondary ? 1.25 : 2.25}
          strokeDasharray={s.secondary ? '4 3' : undefined}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      ))}
      {thresholds.map((t) => (
        <ReferenceLine
          key={`${t.label}-${t.value}`}
          y={t.value}
          stroke="var(--fl-danger)"
          strokeWidth={1.5}
          strokeDasharray="7 4"
          label={{ value: t.label, position: 'insideTopRight', fill: 'var(--fl-danger)', fontSize: 12 }}
          shape={labelledLine(`abort threshold: ${t.label}`)}
        />
      ))}
      {markers.map((m) => (
        <ReferenceLine
          key={`${m.label}-${m.t}`}
          x={m.t}
          stroke={m.tone === 'stop' ? 'var(--fl-danger)' : 'var(--fl-muted)'}
          strokeWidth={m.tone === 'stop' ? 2 : 1}
          label={{ value: m.label, position: 'insideTopLeft', fill: m.tone === 'stop' ? 'var(--fl-danger)' : 'var(--fl-muted)', fontSize: 11 }}
          shape={labelledLine(`marker: ${m.label}`)}
        />
      ))}
    </LineChart>
  );
  return (
    <figure
      aria-labelledby={titleId}
      aria-describedby={summaryId}
      className={`relative m-0 rounded-lg border border-line bg-surface p-3 ${stale ? 'opacity-60' : ''}`}
    >
      <figcaption className="mb-1 flex items-baseline justify-between gap-2">
        <span id={titleId} className="font-semibold">
          {title}
          {unit && <span className="ml-1 text-xs font-normal text-muted">({unit})</span>}
        </span>
        {stale && <span className="rounded bg-warn/20 px-1.5 text-xs font-semibold text-warn">stale</span>}
      </figcaption>
      <p id={summaryId} className="sr-only">
        {summary}
      </p>
      {width ? (
        chart
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 480, height }}>
          {chart}
        </ResponsiveContainer>
      )}
    </figure>
  );
});

import { memo, useId, useRef, useState, type ReactNode } from 'react';
import { LineChart, XAxis, YAxis } from 'recharts';
import { formatDuration } from '@/domain/ramp';
import { formatClock } from '@/lib/format';
import type { ChartThreshold, TimeAxis } from './chart-types';
import { ChartGuides } from './chart-guides';
import { LiveLayerContext } from './live-layer';
import { relativeTicks, timeTicks, valueAxis } from './time-ticks';
import { useElementWidth } from './use-element-width';

interface MetricChartProps {
  title: string;
  unit: string;
  /** The time axis: fixed clock times, or the last minutes up to the newest sample. */
  time: TimeAxis;
  /** Top of the value axis (the largest value or threshold to show); rounded up to a round step. */
  ceiling: number;
  thresholds: ChartThreshold[];
  /** The data stopped arriving: keep it visible, marked as such. */
  stale?: boolean;
  /** What the chart shows, for people who cannot see it (series, thresholds). */
  summary: string;
  /** The current values, shown in the caption (a live component: it updates on its own). */
  reading?: ReactNode;
  height?: number;
  /** Fixed width in px; without it the chart fills its container. */
  width?: number;
  /** The live layer (LiveLines), drawn inside the chart with its scales. */
  children: ReactNode;
}

/** "now", "−2 min", "−1 h": an offset before the newest sample (ms, ≤ 0). */
function formatAgo(offsetMs: number): string {
  return offsetMs === 0 ? 'now' : `−${formatDuration(-offsetMs / 1000)}`;
}

/**
 * The frame of one metric's chart: time and value axes, grid and fixed abort thresholds.
 * On a sliding axis it never moves; it changes only when the scale or the experiment does.
 * The data, the markers and the moving thresholds are drawn by its child layer. Nothing
 * animates.
 */
export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const {
    title,
    unit,
    time,
    ceiling,
    thresholds,
    stale = false,
    summary,
    reading,
    height = 200,
    width,
    children,
  } = props;
  const titleId = useId();
  const summaryId = useId();
  const axis = valueAxis(ceiling, 1);
  const [liveLayer, setLiveLayer] = useState<SVGSVGElement | null>(null);
  const formatValue = (value: number) =>
    `${value.toFixed(axis.decimals)}${unit === '%' ? '%' : ''}`;
  const box = useRef<HTMLDivElement>(null);
  const measured = useElementWidth(box);
  const chartWidth = width ?? measured;
  const domain: [number, number] = time.kind === 'fixed' ? [time.from, time.to] : [-time.spanMs, 0];
  const xTicks = time.kind === 'fixed' ? timeTicks(time.from, time.to) : relativeTicks(time.spanMs);
  const formatTime = time.kind === 'fixed' ? formatClock : formatAgo;
  const chart = chartWidth ? (
    <LineChart
      width={chartWidth}
      height={height}
      margin={{ top: 14, right: 12, bottom: 0, left: 0 }}
    >
      <XAxis
        dataKey="t"
        type="number"
        domain={domain}
        ticks={xTicks}
        allowDataOverflow
        tickFormatter={formatTime}
        stroke="var(--fl-line)"
      />
      <YAxis
        type="number"
        domain={[0, axis.ceiling]}
        ticks={axis.ticks}
        tickFormatter={formatValue}
        width={56}
        allowDataOverflow
        stroke="var(--fl-line)"
      />
      <ChartGuides xTicks={xTicks} yTicks={axis.ticks} thresholds={thresholds} />
      {children}
    </LineChart>
  ) : null;
  return (
    <figure
      aria-labelledby={titleId}
      aria-describedby={summaryId}
      className={`relative m-0 rounded-lg border border-line bg-surface p-3 [contain:layout_paint_style] ${stale ? 'opacity-60' : ''}`}
    >
      <figcaption className="mb-1 flex items-baseline justify-between gap-2">
        <span id={titleId} className="font-semibold">
          {title}
          {unit && <span className="ml-1 text-xs font-normal text-muted">({unit})</span>}
        </span>
        <span className="flex items-baseline gap-3 text-sm">
          {reading}
          {stale && (
            <span className="rounded bg-warn/20 px-1.5 text-xs font-semibold text-warn">stale</span>
          )}
        </span>
      </figcaption>
      <p id={summaryId} className="sr-only">
        {summary}
      </p>
      <div ref={box} className="relative" style={{ height }}>
        <LiveLayerContext.Provider value={liveLayer}>{chart}</LiveLayerContext.Provider>
        <svg
          ref={setLiveLayer}
          aria-label={`${title}, live`}
          role="group"
          className="pointer-events-none absolute top-0 left-0 h-full w-full overflow-visible [will-change:transform]"
        />
      </div>
    </figure>
  );
});

import { useId } from 'react';
import { createPortal } from 'react-dom';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { SeriesPoints } from '@/lib/downsample';
import type { ChartMarker, ChartSeries, ChartThreshold } from './chart-types';
import { ThresholdLine } from './threshold-line';
import { useLiveLayer } from './live-layer';

type Linear = { scale: number; offset: number };

/** Both axes are linear: map with one multiply-add per value instead of a scale call. */
function linear(map: (v: number) => number | undefined, a: number, b: number): Linear {
  const pa = map(a) ?? 0;
  const pb = map(b) ?? 0;
  const scale = b === a ? 0 : (pb - pa) / (b - a);
  return { scale, offset: pa - scale * a };
}

/** Paths are written in tenths of a pixel, as integers (scaled back by the group): fast to format. */
const TENTHS = 10;

function pathOf(points: SeriesPoints, x: Linear, y: Linear): string {
  const ax = x.scale * TENTHS;
  const bx = x.offset * TENTHS;
  const ay = y.scale * TENTHS;
  const by = y.offset * TENTHS;
  let d = '';
  let pen = 'M';
  for (let i = 0; i < points.length; i++) {
    const value = points.value[i] ?? Number.NaN;
    if (value !== value) {
      pen = 'M';
      continue;
    }
    d += pen + Math.round(ax * (points.t[i] ?? 0) + bx) + ',' + Math.round(ay * value + by);
    pen = 'L';
  }
  return d;
}

export interface LiveLinesProps {
  series: ChartSeries[];
  /** Thresholds that move with the data (a "rises by" condition): drawn here, redrawn with it. */
  movingThresholds?: ChartThreshold[];
  /** Where the ramp started, stepped and stopped. */
  markers?: ChartMarker[];
  /**
   * Subtracted from every time before it is placed (epoch ms): the newest sample's time on a
   * sliding axis, whose values are offsets from it; 0 on a fixed one.
   */
  originMs?: number;
}

/**
 * The live series of a chart, drawn with the chart's own scales. It sits inside a recharts
 * chart (for the scales) but draws into the chart's live layer, and re-renders alone when
 * its data changes: the axes, grid and fixed thresholds stay as they are, so a live update
 * costs a few paths, not a whole chart.
 * A gap (null) lifts the pen; nothing is drawn across it.
 */
export function LiveLines({
  series,
  movingThresholds = [],
  markers = [],
  originMs = 0,
}: LiveLinesProps) {
  const clipId = useId();
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const layer = useLiveLayer();
  if (!x || !y || !area || !layer) return null;
  const scaleX = linear(x, 0, 1_000_000_000_000);
  const toX: Linear = { scale: scaleX.scale, offset: scaleX.offset - scaleX.scale * originMs };
  const atX = (t: number) => toX.scale * t + toX.offset;
  const left = area.x;
  const right = area.x + area.width;
  const toY = linear(y, 0, 100);
  const atY = (v: number) => toY.scale * v + toY.offset;
  return createPortal(
    <g className="live-lines">
      <clipPath id={clipId}>
        <rect x={area.x} y={area.y} width={area.width} height={area.height} />
      </clipPath>
      <g clipPath={`url(#${clipId})`}>
        <g transform={`scale(${1 / TENTHS})`}>
          {series.map((s) => (
            <path
              key={s.name}
              role="img"
              aria-label={`${s.name} line`}
              className="live-line"
              d={pathOf(s.points, toX, toY)}
              fill="none"
              stroke={s.color}
              strokeWidth={s.secondary ? 1.25 : 2.25}
              strokeDasharray={s.secondary ? '4 3' : undefined}
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
            />
          ))}
        </g>
        {markers
          .filter((m) => atX(m.t) >= left - 0.5 && atX(m.t) <= right + 0.5)
          .map((m) => {
            const stop = m.tone === 'stop';
            const colour = stop ? 'var(--fl-danger)' : 'var(--fl-muted)';
            const at = atX(m.t);
            // A stop often comes right after a step: its label goes on the other side of the line.
            return (
              <g key={`${m.label}-${m.t}`} role="img" aria-label={`marker: ${m.label}`}>
                <line
                  x1={at}
                  x2={at}
                  y1={area.y}
                  y2={area.y + area.height}
                  stroke={colour}
                  strokeWidth={stop ? 2 : 1}
                />
                <text
                  x={at + (stop ? -5 : 5)}
                  y={area.y + 12}
                  textAnchor={stop ? 'end' : 'start'}
                  fill={colour}
                  fontSize={11}
                >
                  {m.label}
                </text>
              </g>
            );
          })}
        {movingThresholds.map((t) => (
          <ThresholdLine
            key={t.label}
            label={t.label}
            y={atY(t.value)}
            left={left}
            right={right}
            top={area.y}
          />
        ))}
      </g>
    </g>,
    layer,
  );
}

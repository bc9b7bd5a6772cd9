import { useId } from 'react';
import { createPortal } from 'react-dom';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { SeriesPoints } from '@/lib/downsample';
import type { ChartMarker, ChartSeries, ChartSlope, ChartThreshold } from './chart-types';
import { layoutMarkerLabels, MARKER_FONT_PX } from './marker-labels';
import { SlopeLine } from './slope-line';
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

interface LiveLinesProps {
  series: ChartSeries[];
  /** Horizontal thresholds that move with the data (a rollout's regression line). */
  movingThresholds?: ChartThreshold[];
  /** "Keeps rising" conditions, which move with the data: drawn here, redrawn with it. */
  slopes?: ChartSlope[];
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
  slopes = [],
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
  const shown = markers
    .map((m) => ({ ...m, x: atX(m.t) }))
    .filter((m) => m.x >= left - 0.5 && m.x <= right + 0.5);
  const labels = layoutMarkerLabels(
    shown.map((m) => ({ x: m.x, label: m.label, prefer: m.tone === 'stop' ? 'left' : 'right' })),
    left,
    right,
  );
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
        {shown.map((m, i) => {
          const stop = m.tone === 'stop';
          const colour = stop ? 'var(--fl-danger)' : 'var(--fl-muted)';
          const placed = labels[i];
          return (
            <g key={`${m.label}-${m.t}`} role="img" aria-label={`marker: ${m.label}`}>
              {!placed && <title>{m.label}</title>}
              <line
                x1={m.x}
                x2={m.x}
                y1={area.y}
                y2={area.y + area.height}
                stroke={colour}
                strokeWidth={stop ? 2 : 1}
              />
              {placed && (
                <text
                  x={placed.x}
                  y={area.y + placed.lane}
                  textAnchor={placed.anchor}
                  fill={colour}
                  fontSize={MARKER_FONT_PX}
                >
                  {m.label}
                </text>
              )}
            </g>
          );
        })}
        {movingThresholds.map((t) => (
          <ThresholdLine
            key={t.label}
            label={t.label}
            shortLabel={t.shortLabel}
            y={atY(t.value)}
            left={left}
            right={right}
            top={area.y}
          />
        ))}
        {slopes.map((s) => (
          <SlopeLine
            key={s.label}
            label={s.label}
            shortLabel={s.shortLabel}
            x1={atX(s.from.t)}
            y1={atY(s.from.value)}
            x2={atX(s.to.t)}
            y2={atY(s.to.value)}
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

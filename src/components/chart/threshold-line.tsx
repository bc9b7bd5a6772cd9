/** Marker labels ("step 60 %") sit in this band at the top of the plot (px). */
const MARKER_LABEL_BAND = 16;
/** A threshold's name, 12 px text, sits this far above its line, or below it (baselines, px). */
const ABOVE = 5;
const BELOW = 15;

/**
 * One abort threshold: a dashed line across the plot, named above it, or below it (and below
 * the marker labels) when the line runs so close to the top that its name would cover them.
 */
export function ThresholdLine({
  label,
  y,
  left,
  right,
  top,
}: {
  label: string;
  y: number;
  left: number;
  right: number;
  top: number;
}) {
  const clear = y - ABOVE - 12 >= top + MARKER_LABEL_BAND;
  const labelY = clear ? y - ABOVE : Math.max(y + BELOW, top + MARKER_LABEL_BAND + BELOW);
  return (
    <g role="img" aria-label={`abort threshold: ${label}`}>
      <line
        x1={left}
        x2={right}
        y1={y}
        y2={y}
        stroke="var(--fl-danger)"
        strokeWidth={1.5}
        strokeDasharray="7 4"
      />
      <text x={right - 5} y={labelY} textAnchor="end" fill="var(--fl-danger)" fontSize={12}>
        {label}
      </text>
    </g>
  );
}

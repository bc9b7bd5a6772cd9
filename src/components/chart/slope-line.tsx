import { MARKER_LABEL_BAND } from './marker-labels';
import { thresholdLabelFor } from './threshold-label';

/**
 * A "keeps rising" abort condition, drawn as what it is: a dashed slope from where the series
 * stood at the window's start up to where it would trip now (that value plus the allowed rise).
 * The series trips the condition when it ends above the slope's end.
 */
export function SlopeLine({
  label,
  shortLabel,
  x1,
  y1,
  x2,
  y2,
  left,
  right,
  top,
}: {
  label: string;
  shortLabel: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  left: number;
  right: number;
  top: number;
}) {
  // The name ends left of the slope's end, above it unless that would cover the marker labels.
  const textX = Math.max(left + 5, Math.min(x2 - 8, right - 5));
  const text = thresholdLabelFor(label, shortLabel, textX - left - 5);
  const labelY = y2 - 6 - 12 >= top + MARKER_LABEL_BAND ? y2 - 6 : y2 + 16;
  return (
    <g role="img" aria-label={`abort slope: ${label}`}>
      <line
        x1={x1}
        y1={y1}
        x2={x2}
        y2={y2}
        stroke="var(--fl-danger)"
        strokeWidth={1.5}
        strokeDasharray="7 4"
      />
      <circle cx={x1} cy={y1} r={3} fill="var(--fl-danger)" />
      <circle cx={x2} cy={y2} r={3} fill="none" stroke="var(--fl-danger)" strokeWidth={1.5} />
      <text x={textX} y={labelY} textAnchor="end" fill="var(--fl-danger)" fontSize={12}>
        {text !== label && <title>{label}</title>}
        {text}
      </text>
    </g>
  );
}

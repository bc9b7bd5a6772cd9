/**
 * A generous estimate of a label's width (px): SVG text cannot be measured before it is drawn,
 * and an estimate that errs wide keeps labels apart in every font the browser may pick.
 */
export function labelWidth(text: string, fontSize: number): number {
  return Math.ceil(text.length * fontSize * 0.62);
}

/**
 * The name of an abort threshold that fits in `room` px of 12 px text: the whole one, the short
 * one (the chart's title already names the metric), or the short one cut with an ellipsis.
 * Never wider than the plot, so it is never cut at the plot's edge.
 */
export function thresholdLabelFor(label: string, shortLabel: string, room: number): string {
  if (labelWidth(label, 12) <= room) return label;
  if (labelWidth(shortLabel, 12) <= room) return shortLabel;
  const chars = Math.max(0, Math.floor(room / (12 * 0.62)) - 1);
  return chars > 0 ? `${shortLabel.slice(0, chars)}…` : '';
}

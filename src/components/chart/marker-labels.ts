import { labelWidth } from './threshold-label';

/** Marker labels are 11 px text in up to two lanes at the top of the plot (baselines, px). */
export const MARKER_FONT_PX = 11;
const MARKER_LANES = [12, 25] as const;
/** The band the marker labels may take at the top of the plot (px): thresholds keep clear of it. */
export const MARKER_LABEL_BAND = 29;
const GAP = 4;
const OFFSET = 5;

interface MarkerAt {
  x: number;
  label: string;
  /** Which side of its line the label prefers: a stop often comes right after a step. */
  prefer: 'right' | 'left';
}

interface PlacedLabel {
  /** Where the text is anchored, and on which side of its line it runs. */
  x: number;
  anchor: 'start' | 'end';
  /** Baseline below the plot's top (px). */
  lane: number;
  /** The text's left and right edges (px), estimated. */
  from: number;
  to: number;
}

/**
 * Where each marker's label goes so that no two overlap and none runs past the plot, at any
 * width: on its preferred side in the first lane, else the other side, else the second lane.
 * A label that fits nowhere is not drawn (its line stays, named for assistive technology and
 * with a tooltip). Returns one entry per marker, in the order given; null for a hidden label.
 */
export function layoutMarkerLabels(
  markers: readonly MarkerAt[],
  left: number,
  right: number,
): (PlacedLabel | null)[] {
  const placed: PlacedLabel[] = [];
  const order = markers
    .map((_, i) => i)
    .sort((a, b) => (markers[a]?.x ?? 0) - (markers[b]?.x ?? 0));
  const result: (PlacedLabel | null)[] = markers.map(() => null);
  for (const i of order) {
    const marker = markers[i];
    if (!marker) continue;
    const width = labelWidth(marker.label, MARKER_FONT_PX);
    const sides =
      marker.prefer === 'right' ? (['right', 'left'] as const) : (['left', 'right'] as const);
    let chosen: PlacedLabel | null = null;
    for (const lane of MARKER_LANES) {
      for (const side of sides) {
        const from = side === 'right' ? marker.x + OFFSET : marker.x - OFFSET - width;
        const to = from + width;
        if (from < left || to > right) continue;
        const clash = placed.some((p) => p.lane === lane && from < p.to + GAP && to > p.from - GAP);
        if (clash) continue;
        chosen = {
          x: side === 'right' ? marker.x + OFFSET : marker.x - OFFSET,
          anchor: side === 'right' ? 'start' : 'end',
          lane,
          from,
          to,
        };
        break;
      }
      if (chosen) break;
    }
    if (chosen) placed.push(chosen);
    result[i] = chosen;
  }
  return result;
}

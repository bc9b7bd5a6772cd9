import { render, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ThresholdLine } from '@/components/chart/threshold-line';

/** The baseline of the threshold's name, for a line drawn `y` px down a plot whose top is at 10 px. */
function labelBaseline(y: number): number {
  const { container, unmount } = render(
    <svg>
      <ThresholdLine label="5xx rate > 1 % for 10 s" y={y} left={40} right={400} top={10} />
    </svg>,
  );
  const text = within(container)
    .getByRole('img', { name: 'abort threshold: 5xx rate > 1 % for 10 s' })
    .querySelector('text');
  const baseline = Number(text?.getAttribute('y'));
  unmount();
  return baseline;
}

describe('an abort threshold line', () => {
  it('is named just above the line when there is room under the marker labels', () => {
    expect(labelBaseline(120)).toBe(115);
  });

  it('is named below the line, clear of the marker labels at the top, when the line runs near the top', () => {
    // Marker labels fill the top 16 px of the plot (10–26): the name must start below them.
    expect(labelBaseline(30)).toBe(45);
    expect(labelBaseline(12)).toBe(41);
  });
});

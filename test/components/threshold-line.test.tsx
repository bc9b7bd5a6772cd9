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
  it('shortens its name to fit a narrow plot, and keeps the whole name as its accessible name', () => {
    const label = 'error rate rises by more than 2 percentage points within 30 s';
    const { container } = render(
      <svg>
        <ThresholdLine
          label={label}
          shortLabel="> 2 % for 30 s"
          y={120}
          left={56}
          right={300}
          top={10}
        />
      </svg>,
    );
    const line = within(container).getByRole('img', { name: `abort threshold: ${label}` });
    const drawn = [...(line.querySelector('text')?.childNodes ?? [])]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent)
      .join('');
    expect(drawn).toBe('> 2 % for 30 s');
  });

  it('is named just above the line when there is room under the marker labels', () => {
    expect(labelBaseline(120)).toBe(115);
  });

  it('is named below the line, clear of the marker labels at the top, when the line runs near the top', () => {
    // Marker labels fill the top 29 px of the plot (two lanes, 10–39): the name goes below them.
    expect(labelBaseline(30)).toBe(54);
    expect(labelBaseline(12)).toBe(54);
    expect(labelBaseline(50)).toBe(65);
  });
});

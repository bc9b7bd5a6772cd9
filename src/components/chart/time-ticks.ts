const STEPS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400,
].map((s) => s * 1000);

/** Ticks for the last `spanMs` (negative offsets from now, ms): about five, on round durations. */
export function relativeTicks(spanMs: number, count = 5): number[] {
  const step =
    STEPS_MS.find((s) => spanMs / s <= count) ?? STEPS_MS[STEPS_MS.length - 1] ?? 86_400_000;
  const ticks: number[] = [];
  for (let t = 0; t >= -spanMs && ticks.length <= count + 1; t -= step) ticks.unshift(t);
  return ticks;
}

/** Round clock times for a time axis: about `count` of them, on whole seconds, minutes or hours. */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step =
    STEPS_MS.find((s) => span / s <= count) ?? STEPS_MS[STEPS_MS.length - 1] ?? 86_400_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to && ticks.length <= count + 1; t += step)
    ticks.push(t);
  return ticks;
}

interface ValueAxis {
  /** Top of the axis: a whole number of steps. */
  ceiling: number;
  ticks: number[];
  /** Decimals that show every tick exactly. */
  decimals: number;
}

/**
 * A value axis from 0 with round steps (1, 2, 2.5 or 5 × 10^k), at most five of them, and
 * `headroom` above the largest value (1.1: 10 %).
 */
export function valueAxis(max: number, headroom = 1.1): ValueAxis {
  const padded = max > 0 ? max * headroom : 1;
  const magnitude = 10 ** Math.floor(Math.log10(padded / 5));
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s * 5 >= padded) ?? 10 * magnitude;
  const count = Math.max(1, Math.ceil(padded / step - 1e-9));
  const decimals = Math.max(
    0,
    -Math.floor(Math.log10(step) + 1e-9) + (Number.isInteger(step / magnitude) ? 0 : 1),
  );
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
  return { ceiling: ticks[ticks.length - 1] ?? step, ticks, decimals };
}

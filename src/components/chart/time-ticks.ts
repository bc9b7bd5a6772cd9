const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400].map((s) => s * 1000);

/** Round clock times for a time axis: about `count` of them, on whole seconds, minutes or hours. */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step = STEPS_MS.find((s) => span / s <= count) ?? STEPS_MS[STEPS_MS.length - 1] ?? 86_400_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to && ticks.length <= count + 1; t += step) ticks.push(t);
  return ticks;
}

/** A round upper bound for a value axis: every value and threshold fits, with headroom. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const padded = max * 1.15;
  const magnitude = 10 ** Math.floor(Math.log10(padded));
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
  const step = steps.find((s) => s * magnitude >= padded) ?? 10;
  return step * magnitude;
}

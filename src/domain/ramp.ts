import type { MagnitudeStep } from './attacks';

interface ScheduledStep {
  index: number;
  magnitude: number | undefined;
  /** Seconds from the start of the run. */
  startsAtSeconds: number;
  endsAtSeconds: number;
}

export function rampSchedule(steps: readonly MagnitudeStep[]): ScheduledStep[] {
  let offset = 0;
  return steps.map((step, index) => {
    const scheduled = {
      index,
      magnitude: step.magnitude,
      startsAtSeconds: offset,
      endsAtSeconds: offset + step.durationSeconds,
    };
    offset += step.durationSeconds;
    return scheduled;
  });
}

export function totalDurationSeconds(steps: readonly MagnitudeStep[]): number {
  return steps.reduce((sum, step) => sum + step.durationSeconds, 0);
}

/** The step in force `elapsedSeconds` after the start, or null once the ramp is over. */
export function stepAt(
  steps: readonly MagnitudeStep[],
  elapsedSeconds: number,
): ScheduledStep | null {
  if (elapsedSeconds < 0) return null;
  return rampSchedule(steps).find((s) => elapsedSeconds < s.endsAtSeconds) ?? null;
}

/** "4 min", "90 s", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', rest ? `${rest} s` : ''].filter(Boolean);
  return parts.join(' ');
}

import { z } from 'zod';

export const ATTACK_TYPES = [
  'cpu',
  'memory',
  'latency',
  'error',
  'rate-limit',
  'connection-drop',
  'packet-loss',
  'shutdown',
] as const;
export const attackTypeSchema = z.enum(ATTACK_TYPES);
export type AttackType = z.infer<typeof attackTypeSchema>;

interface AttackInfo {
  label: string;
  /** What the magnitude means; null when the attack has no magnitude (shutdown). */
  magnitude: { unit: '%' | 'ms'; min: number; max: number; describe: string } | null;
}

export const ATTACK_INFO: Record<AttackType, AttackInfo> = {
  cpu: { label: 'CPU pressure', magnitude: { unit: '%', min: 1, max: 100, describe: 'CPU' } },
  memory: {
    label: 'Memory pressure',
    magnitude: { unit: '%', min: 1, max: 100, describe: 'memory' },
  },
  latency: {
    label: 'Added latency',
    magnitude: { unit: 'ms', min: 1, max: 60_000, describe: 'latency' },
  },
  error: {
    label: 'Error injection',
    magnitude: { unit: '%', min: 1, max: 100, describe: 'of requests answered 500' },
  },
  'rate-limit': {
    label: 'Rate limiting',
    magnitude: { unit: '%', min: 1, max: 100, describe: 'of requests answered 429' },
  },
  'connection-drop': {
    label: 'Connection drops',
    magnitude: { unit: '%', min: 1, max: 100, describe: 'of requests with their connection cut' },
  },
  'packet-loss': {
    label: 'Packet loss',
    magnitude: { unit: '%', min: 1, max: 100, describe: 'packet loss' },
  },
  shutdown: { label: 'Instance shutdown', magnitude: null },
};

/** Longest single step, in seconds (24 h): a game day does not run longer. */
const MAX_STEP_SECONDS = 86_400;

/** One step of the ramp: this magnitude for this long. */
export const magnitudeStepSchema = z.object({
  magnitude: z.number().optional(),
  durationSeconds: z
    .number({ error: 'duration must be a number of seconds' })
    .int('duration must be whole seconds')
    .min(1, 'a step lasts at least 1 s')
    .max(MAX_STEP_SECONDS, `a step lasts at most ${MAX_STEP_SECONDS} s`),
});
export type MagnitudeStep = z.infer<typeof magnitudeStepSchema>;

/** Formats a magnitude with its unit: "50 %", "300 ms". */
export function formatMagnitude(type: AttackType, magnitude: number | undefined): string {
  const info = ATTACK_INFO[type].magnitude;
  if (!info || magnitude === undefined) return ATTACK_INFO[type].label.toLowerCase();
  return `${magnitude} ${info.unit}`;
}

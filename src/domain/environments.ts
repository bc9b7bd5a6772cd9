import { z } from 'zod';

/** Confidence is built by running the same experiment in each, in this order. */
export const ENVIRONMENTS = ['development', 'testing', 'staging', 'production'] as const;
export const environmentSchema = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof environmentSchema>;

/** The stage after `environment`, or null when it is already production. */
export function nextEnvironment(environment: Environment): Environment | null {
  const index = ENVIRONMENTS.indexOf(environment);
  return ENVIRONMENTS[index + 1] ?? null;
}

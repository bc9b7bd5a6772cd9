import { isPromise, type MaybePromise } from '../../mock-server/backends/seams';

/**
 * What a seam call answered, when the simulation answers it: the seams may answer later
 * (Prometheus, agents), the simulation never does. A test or bench that counts on that fails
 * here, loudly, if it stops being so, instead of leaving a promise nobody awaits.
 */
export function atOnce<T>(value: MaybePromise<T>): T {
  if (isPromise(value)) throw new Error('the simulation answered later, not at once');
  return value;
}

import { z } from 'zod';

const ROLES = ['viewer', 'developer', 'sre', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export type Action =
  | 'read'
  | 'experiment.write'
  | 'experiment.start'
  | 'experiment.halt'
  | 'flag.write'
  | 'flag.kill'
  | 'gameday.write'
  | 'rollout.write'
  | 'rollout.stop'
  | 'admin.settings';

/**
 * The one table of who may do what. Stopping (halt, halt all, a flag's kill switch) is
 * allowed to every signed-in user: stopping is never blocked.
 */
const ALLOWED: Record<Action, readonly Role[]> = {
  read: ROLES,
  'experiment.write': ['developer', 'sre', 'admin'],
  'experiment.start': ['sre', 'admin'],
  'experiment.halt': ROLES,
  'flag.write': ['developer', 'sre', 'admin'],
  'flag.kill': ROLES,
  'gameday.write': ['developer', 'sre', 'admin'],
  /** Create, promote, resume and retry a rollout: the people who ship. */
  'rollout.write': ['developer', 'sre', 'admin'],
  /** Pause or abort a rollout: stopping is never blocked. */
  'rollout.stop': ROLES,
  'admin.settings': ['admin'],
};

export function can(role: Role, action: Action): boolean {
  return ALLOWED[action].includes(role);
}

export const userSchema = z.object({
  name: z.string().min(1),
  displayName: z.string().min(1),
  role: roleSchema,
});
export type User = z.infer<typeof userSchema>;

import type { Role } from '../src/domain';

/** Who made a change: a signed-in user, or the engine acting on its own. */
export interface Actor {
  name: string;
  role: Role | 'system';
}
export const SYSTEM_ACTOR: Actor = { name: 'faultline', role: 'system' };

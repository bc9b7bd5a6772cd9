import type { RolloutProgress } from '../../src/domain';
import type { CoreContext } from '../context';

/** Flags and canaries being rolled out, with how far they are: keys and percentages only. */
export function rolloutsInProgress(_ctx: CoreContext): RolloutProgress[] {
  return [];
}

import type { Rollout, RolloutControl, RolloutSpec } from '@/domain/rollouts';
import type { RequestOptions } from './request';

export interface RolloutControlOptions extends RequestOptions {
  /** Why, in the person's words; kept in the rollout's reason and the audit log. */
  reason?: string;
}

/**
 * Canary and guarded flag rollouts: weight raised in steps, each step judged on metrics,
 * rolled back by the backend when a step regresses. A backend that has no rollouts leaves
 * the capability out and the UI hides its pages.
 */
export interface RolloutsCapability {
  /** Newest first. */
  listRollouts(options?: RequestOptions): Promise<Rollout[]>;
  getRollout(id: string, options?: RequestOptions): Promise<Rollout>;
  /** Refused (`invalid`, the field named) for a bad spec, an unknown service, a second canary. */
  createRollout(spec: RolloutSpec): Promise<Rollout>;
  /**
   * One of the controls (promote, promote fully, pause, resume, abort, retry). Pause and abort
   * are for any signed-in person; the rest for those who ship. Refused (`refused`) when the
   * rollout's state does not allow it.
   */
  controlRollout(
    id: string,
    control: RolloutControl,
    options?: RolloutControlOptions,
  ): Promise<Rollout>;
}

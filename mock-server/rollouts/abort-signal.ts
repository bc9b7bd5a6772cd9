import { rolloutSubject, type Experiment } from '../../src/domain';
import { SYSTEM_ACTOR, type ServerContext } from '../context';
import type { RolloutRunner } from './rollout-runner';

/**
 * One abort signal for chaos and delivery (shared/DESIGN.md): a rollout that fails its analysis
 * halts every chaos experiment on its service and environment; an experiment that aborts holds
 * every rollout there until a person resumes it; halt all pauses the rollouts in its scope.
 * Each link is its own audited change, with its reason in words.
 */
export function linkAbortSignal(ctx: ServerContext, runner: RolloutRunner): void {
  runner.failedListeners.push((failed) => {
    const running = ctx.engine
      .running()
      .filter(
        (e) => e.service === failed.spec.service && e.environment === failed.spec.environment,
      );
    for (const experiment of running) {
      ctx.engine.halt(
        experiment.id,
        SYSTEM_ACTOR,
        `rollout "${failed.spec.name}" (${rolloutSubject(failed.spec)}) ${failed.reason ?? 'failed its analysis'}`,
      );
    }
  });

  ctx.extensions.abortHooks.push((aborted: Experiment, scope) => {
    const outcome = aborted.run?.outcome;
    const why = outcome?.kind === 'aborted' ? `: ${outcome.description}` : '';
    runner.holdAll(
      { service: aborted.service, environment: aborted.environment },
      `held: chaos experiment "${aborted.name}" aborted on ${aborted.service} ` +
        `in ${aborted.environment}${why}; resume when it is understood`,
      scope,
      'held',
    );
  });

  ctx.extensions.haltAllHooks.push(({ actor, environment, service, killFlags }, scope) => {
    const where = [service, environment].filter(Boolean).join(' in ');
    return runner.holdAll(
      { service, environment },
      `paused by halt all (${actor.name}${where ? `, ${where}` : ''})`,
      scope,
      'paused',
      killFlags ? { actor } : undefined,
    ).flagsKilled;
  });
}

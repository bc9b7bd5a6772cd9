import type {
  Environment,
  Experiment,
  HaltAllResponse,
  MetricSample,
  SteadyStateAnswer,
  User,
} from '../../src/domain';
import type { Actor } from '../actor';
import type { MaybePromise, MetricsGap } from '../backends/seams';

export interface TickReport {
  /** 1 for the first tick after the engine was built. */
  index: number;
  /** epoch ms of the samples */
  t: number;
  samples: MetricSample[];
  /** Series the metrics source could not read in this evaluation. */
  gaps: MetricsGap[];
  /** Experiments that ended in this tick, each with the time from sampling to the abort saved, in ms. */
  aborted: { experiment: Experiment; reactionMs: number }[];
  completed: Experiment[];
  stepped: Experiment[];
}

export interface HaltAllFilter {
  environment?: Environment;
  service?: string;
  killFlags?: boolean;
}

/** What to do with a running experiment whose conditions cannot be evaluated. */
export interface MissingMetricsPolicy {
  /** How long conditions may stay unreadable before `onMissing` applies, in ms. */
  graceMs: number;
  /** `abort`: fail safe, the run ends with "no metrics"; `hold`: it keeps running, with a warning. */
  onMissing: 'abort' | 'hold';
}

export interface Engine {
  /** Marks experiments left running by a previous process as interrupted: nothing keeps injecting. */
  recover(): Experiment[];
  /** On shutdown: every running experiment becomes interrupted, so none is left "running" unwatched. */
  interruptAll(reason: string): Experiment[];
  /**
   * Starts a draft after its checks (blast radius, steady state read from the metrics source).
   * Synchronous when the metrics source answers at once.
   */
  start(
    id: string,
    input: { version: number; confirmEnvironment?: Environment },
    actor: User,
  ): MaybePromise<Experiment>;
  /**
   * The check a start makes, asked at any time: none of the experiment's abort conditions holds
   * on the whole service's latest window. Throws a 503 HttpError (`steady_state_broken` naming
   * the condition, or `metrics_unavailable`) when it does not hold or cannot be read.
   */
  steadyState(id: string): MaybePromise<SteadyStateAnswer>;
  /** `reason`: why, when the halt comes from elsewhere (a rollout that failed its analysis). */
  halt(id: string, actor: Actor, reason?: string): Experiment;
  haltAll(filter: HaltAllFilter, actor: Actor): HaltAllResponse;
  /**
   * One beat: move ramps on, read the metrics source, publish, judge every abort condition,
   * abort at once. Synchronous when the metrics source answers at once; while one evaluation
   * waits for its source, another call answers with the same promise.
   */
  tick(): MaybePromise<TickReport>;
  running(): Experiment[];
  /** The newest sample of every series read recently (what /metrics exposes). */
  latestSamples(): MetricSample[];
  onTick(listener: (report: TickReport) => void): () => void;
}

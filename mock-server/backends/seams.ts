import type {
  AnswerClass,
  AttackType,
  Environment,
  FlagEvaluations,
  FlagEvaluationsQuery,
  Fleet,
  Group,
  Instance,
  Metric,
  MetricSample,
} from '../../src/domain';
import type { CohortUser as TrafficUser } from '../flags/cohort';

/**
 * The three narrow interfaces the engine talks to (see docs/backends.md). A backend implements
 * them; the engine never knows where numbers come from or how a fault is made. Every method that
 * may have to go over the network answers with a value or a promise of one, so a backend that can
 * answer at once (an embedded one) keeps a tick synchronous.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Calls `next` with the value, at once when there is one, else when the promise settles.
 * (Not named `then`: a module exporting `then` is itself thenable.)
 */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => U): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value);
}

// ---------------------------------------------------------------- metrics source

/** A running experiment's groups: its blast radius is the target, the rest of the service the control. */
export interface ExperimentGroups {
  experimentId: string;
  service: string;
  environment: Environment;
  /** The blast radius's instances (a host takes its containers along). */
  targetIds: readonly string[];
  /** The flag the blast radius is inherited from, when it is. */
  flagKey?: string;
}

/** One evaluation's question: every service as a whole, and target/control of each running experiment. */
interface MetricsRequest {
  /** epoch ms */
  now: number;
  experiments: readonly ExperimentGroups[];
}

/** A series that could not be read in an evaluation: never to be taken for a healthy one. */
export interface MetricsGap {
  service: string;
  environment: Environment;
  group: Group;
  experimentId?: string;
  /** The metrics without a value (all of them when the source did not answer at all). */
  metrics: Metric[];
  /** What went wrong, in words a user reads ("Prometheus did not answer within 800 ms"). */
  reason: string;
  /** The values that were read, when only some metrics are missing. */
  partial?: Partial<Record<Metric, number>>;
}

/** What one evaluation read: complete samples, and the series it could not read with why. */
export interface MetricsReading {
  samples: MetricSample[];
  gaps: MetricsGap[];
}

/** One series over a window: service × environment × group (and the experiment for target/control). */
export interface SeriesQuery {
  service: string;
  environment: Environment;
  group: Group;
  experimentId?: string;
  cohort?: 'on' | 'off';
  version?: 'stable' | 'canary';
  /** epoch ms: only samples at or after it */
  since?: number;
  /** epoch ms: only samples at or before it (default now) */
  until?: number;
  /**
   * The metrics the caller will read (default: all). A source may leave the others NaN; a
   * needed metric it cannot read makes the window a gap.
   */
  metrics?: readonly Metric[];
}

/** A window of samples, oldest first; `gap` says why there are none or too few ("no data" is not "no breach"). */
export interface SeriesWindow {
  samples: MetricSample[];
  gap?: string;
}

/** A metrics source that cannot answer a history at all; the message says why, in words. */
export class MetricsUnavailableError extends Error {
  override name = 'MetricsUnavailableError';
}

/** A flag's two cohorts' requests to one service over a window, asked of a source reading a real one. */
interface CohortRequestsQuery {
  service: string;
  flagKey: string;
  /** The flag's off variant: requests served it (or the fallback) are the off cohort's. */
  offVariant: string;
  /** epoch ms, the window's start */
  since: number;
  /** epoch ms, the window's end */
  until: number;
}

/** Requests each cohort served in the window (`gap`: why they could not be counted). */
export type CohortRequests = { on: number; off: number } | { gap: string };

export type CohortRequestCounter = (query: CohortRequestsQuery) => Promise<CohortRequests>;

export interface MetricsSource {
  /**
   * The latest sample of every series the request names, or a gap for each one that cannot be
   * read. A source that has nothing new since its last answer (it evaluates less often than the
   * engine beats) answers with neither.
   */
  latest(request: MetricsRequest): MaybePromise<MetricsReading>;
  /** A window of one series, for the steady-state check before a start. */
  window(query: SeriesQuery): MaybePromise<SeriesWindow>;
  /**
   * One series' history, for the charts (what GET /api/v1/metrics serves). A source that cannot
   * read it throws a MetricsUnavailableError saying why; an empty history is not an error.
   */
  history(query: SeriesQuery): MaybePromise<MetricSample[]>;
  /**
   * Flag evaluations per second by flag, variant and reason, of one service or of every service
   * in the environment, for the charts. A source that does not count evaluations answers no
   * series and says why in `unavailable`; one that cannot read them now throws a
   * MetricsUnavailableError.
   */
  flagEvaluations(query: FlagEvaluationsQuery): MaybePromise<FlagEvaluations>;
  /**
   * Counts a flag's cohorts' requests in an environment whose traffic is a real service's (the
   * sample-ratio check's split); null (or absent) where the backend's own users send the traffic
   * and are counted instead (the simulation).
   */
  cohortRequests?(environment: Environment): CohortRequestCounter | null;
}

// ---------------------------------------------------------------- target inventory

export interface TargetInventory {
  /** Every service and instance, with labels (zone, version, …) a blast radius selects on. */
  fleet(): Fleet;
  hasService(service: string): boolean;
  instancesOf(service: string, environment: Environment): Instance[];
  /** The instances running a service's canary. */
  canaryOf(service: string, environment: Environment): Instance[];
  /**
   * The hosts that serve a flag's on-cohort, given the share of users in it (0–1): where a
   * flag-inherited blast radius may strike.
   */
  cohortHosts(service: string, environment: Environment, onShare: number): ReadonlySet<string>;
  /** The users whose requests reach the fleet, as far as the backend knows them (cohorts are counted on them). */
  users(): readonly TrafficUser[];
}

// ---------------------------------------------------------------- fault injector

/** A fault as the engine asks for it: one experiment's attack, at one magnitude, on a list of instances. */
export interface Fault {
  experimentId: string;
  service: string;
  environment: Environment;
  attack: AttackType;
  /** In the attack's unit (CPU %, ms, …); undefined for attacks without one (shutdown). */
  magnitude: number | undefined;
  instanceIds: readonly string[];
}

/** What an injector actually did: the instances it acted on, and the ones it could not, with why. */
export interface FaultReport {
  done: string[];
  failed: { instanceId: string; reason: string }[];
}

export interface FaultInjector {
  apply(fault: Fault): MaybePromise<FaultReport>;
  /** The same fault on the same instances, at another magnitude (a ramp's next step). */
  change(fault: Fault): MaybePromise<FaultReport>;
  /** Removes an experiment's fault from the instances; removing what is not there is not an error. */
  remove(fault: Pick<Fault, 'experimentId' | 'instanceIds'>): MaybePromise<FaultReport>;
}

// ---------------------------------------------------------------- cohort routing

/**
 * Where a flag's on-cohort is served: the share of a service's requests that come from its users
 * and the hosts reserved for them.
 */
export interface CohortSplit {
  flagKey: string;
  /** Share of the service's requests coming from on-cohort users, 0–1. */
  onShare: number;
  /** Hosts reserved for the on-cohort: their containers serve it, and only it. */
  hostIds: ReadonlySet<string>;
  /** The flag's off variant: a real service's requests served it are the off-cohort's. */
  offVariant?: string;
  /** A defect a guarded flag rollout says the new code path carries (simulation only). */
  rolloutDefect?: { fivexxPercent: number; addedLatencyMs: number };
}

/** Answers, for one service in one environment, how its traffic is split (null: not split). */
export type CohortRouter = (service: string, environment: Environment) => CohortSplit | null;

/**
 * A canary rollout's routing: `weight` of the service's requests go to the canary hosts, which
 * run the new version (with its defect, if it carries one); samples of each side are tagged
 * `version: 'canary' | 'stable'`.
 */
interface CanaryRoute {
  /** Share of requests served by the canary, 0–1. */
  weight: number;
  hostIds: ReadonlySet<string>;
  defect?: { fivexxPercent: number; addedLatencyMs: number };
}

/** Answers, for one service in one environment, how a canary rollout routes it (null: none). */
export type CanaryRouter = (service: string, environment: Environment) => CanaryRoute | null;

/**
 * A backend that routes requests itself is told the flag cohorts' splits and the canaries'
 * weights. A real service evaluates its flags per request, and its load balancer weighs its
 * canary; it needs no telling and simply has no `traffic`.
 */
interface TrafficRouting {
  routeCohorts(router: CohortRouter | null): void;
  routeCanaries(router: CanaryRouter | null): void;
}

/** A series' request counters since it appeared: answers by class and a latency histogram. */
export interface RequestTotals {
  sample: MetricSample;
  byClass: Record<AnswerClass, number>;
  /** Requests at or under each bound of LATENCY_BUCKETS_SECONDS (cumulative, as Prometheus's `le`). */
  atOrUnder: number[];
  count: number;
  latencySeconds: number;
}

/** Everything the engine and the modules need from the world: one backend, or several by environment. */
export interface Backend {
  metrics: MetricsSource;
  inventory: TargetInventory;
  faults: FaultInjector;
  traffic?: TrafficRouting;
  /**
   * A backend that counts requests itself (the embedded one) hands its counters to /metrics,
   * so a Prometheus can scrape them; a real service exposes its own.
   */
  requestTotals?(): readonly RequestTotals[];
}

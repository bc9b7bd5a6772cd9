import type { AgentsCapability } from './capabilities/agents';
import type { AuditCapability } from './capabilities/audit';
import type { ExperimentsCapability } from './capabilities/experiments';
import type { FlagsCapability } from './capabilities/flags';
import type { FleetCapability } from './capabilities/fleet';
import type { GamedaysCapability } from './capabilities/gamedays';
import type { IdentityCapability } from './capabilities/identity';
import type { LiveStreamCapability } from './capabilities/live-stream';
import type { NotificationsCapability } from './capabilities/notifications';
import type { RolloutsCapability } from './capabilities/rollouts';
import type { StatusCapability } from './capabilities/status';

export type { AgentsCapability, CreatedAgentToken } from './capabilities/agents';
export type { AuditCapability } from './capabilities/audit';
export type {
  ExperimentFilter,
  ExperimentsCapability,
  StartOptions,
} from './capabilities/experiments';
export type { FlagsCapability } from './capabilities/flags';
export type { FleetCapability, MetricHistoryQuery } from './capabilities/fleet';
export type { GamedaysCapability } from './capabilities/gamedays';
export type { IdentityCapability } from './capabilities/identity';
export type {
  ConnectionChange,
  ConnectionState,
  LiveStream,
  LiveStreamCapability,
  StreamHandlers,
} from './capabilities/live-stream';
export type { DownloadedFile, RequestOptions } from './capabilities/request';
export type { NotificationsCapability, UpdatedWebhook } from './capabilities/notifications';
export type { RolloutControlOptions, RolloutsCapability } from './capabilities/rollouts';
export type { StatusCapability } from './capabilities/status';

/**
 * What the UI needs from a backend, one capability per job. Experiments, the fleet and
 * the live stream are what every backend has (a dashboard for running experiments is
 * nothing without them); the rest a backend declares by providing them, and the UI hides
 * the pages and controls of a capability that is absent. A backend built on, say, Chaos
 * Mesh and Prometheus provides the three and leaves the others out.
 *
 * This file and capabilities/ import no implementation: an adapter imports them, never
 * the other way round.
 */
export interface Backend {
  experiments: ExperimentsCapability;
  fleet: FleetCapability;
  live: LiveStreamCapability;
  identity?: IdentityCapability;
  flags?: FlagsCapability;
  rollouts?: RolloutsCapability;
  gamedays?: GamedaysCapability;
  status?: StatusCapability;
  audit?: AuditCapability;
  agents?: AgentsCapability;
  notifications?: NotificationsCapability;
}

/** The capabilities a backend may leave out. */
export type OptionalCapability = {
  [K in keyof Backend]-?: undefined extends Backend[K] ? K : never;
}[keyof Backend];

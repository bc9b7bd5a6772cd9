import type {
  AuthInfo,
  HaltAllRequest,
  HaltAllResponse,
  SessionResponse,
  StreamEvent,
} from '@/domain/api';
import type { Environment } from '@/domain/environments';
import type { Experiment, ExperimentSpecInput, NewExperimentInput } from '@/domain/experiment';
import type { Fleet } from '@/domain/fleet';
import type { ExperimentState } from '@/domain/lifecycle';
import type { Group, MetricSample } from '@/domain/metrics';
import type { User } from '@/domain/roles';
import type { AuditApi } from './audit-http';
import type { FlagsApi } from './flags-api';
import type { GamedaysApi } from './gamedays-http';
import type { ConnectionChange, LiveStream } from './live-stream';
import type { StatusApi } from './status-http';

/** Per-request options every call accepts. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Give up (ApiError `timeout`) when no answer came within this long (ms). */
  timeoutMs?: number;
}

export interface SessionApi {
  authInfo(): Promise<AuthInfo>;
  /** Demo mode only: a token for one of the demo users. */
  createSession(user: string): Promise<SessionResponse>;
  me(): Promise<User>;
  /** Ends the session on the server: its token stops working. */
  signOut(): Promise<void>;
}

export interface MetricHistoryQuery {
  service: string;
  environment: Environment;
  group: Group;
  experimentId?: string;
  /** epoch ms */
  since?: number;
}

export interface FleetApi {
  fleet(): Promise<Fleet>;
  metricHistory(query: MetricHistoryQuery, options?: RequestOptions): Promise<MetricSample[]>;
}

export interface ExperimentFilter {
  environment?: Environment;
  state?: ExperimentState;
  lineageId?: string;
}

export interface StartOptions {
  version: number;
  /** Production only: the environment's name typed again. */
  confirmEnvironment?: Environment;
}

export interface ExperimentsApi {
  listExperiments(filter?: ExperimentFilter): Promise<Experiment[]>;
  getExperiment(id: string): Promise<Experiment>;
  /** `spec.lineageId` continues an existing lineage (the same experiment in the next environment). */
  createExperiment(spec: NewExperimentInput): Promise<Experiment>;
  updateExperiment(id: string, version: number, spec: ExperimentSpecInput): Promise<Experiment>;
  deleteExperiment(id: string, version: number): Promise<void>;
  startExperiment(id: string, options: StartOptions): Promise<Experiment>;
  haltExperiment(id: string, options?: RequestOptions): Promise<Experiment>;
  haltAll(request: HaltAllRequest, options?: RequestOptions): Promise<HaltAllResponse>;
}

export interface StreamHandlers {
  onEvent: (event: StreamEvent, id: string | null) => void;
  onConnection: (change: ConnectionChange) => void;
}

export interface LiveApi {
  /** Keeps the live stream open (reconnecting as needed) until `close()`. */
  openStream(handlers: StreamHandlers): LiveStream;
}

/**
 * Everything the UI needs from a backend, one part per resource. A new resource adds its
 * part here (its own file) and its HTTP implementation to createHttpBackend.
 */
export interface Backend
  extends
    SessionApi,
    FleetApi,
    ExperimentsApi,
    LiveApi,
    GamedaysApi,
    StatusApi,
    AuditApi,
    FlagsApi {}

import type { Environment } from '@/domain/environments';
import type {
  Flag,
  FlagCohortInstances,
  FlagdDocument,
  FlagHistoryEntry,
  FlagSpecInput,
  ImportFlagsResponse,
  NewOfrepKey,
  OfrepKey,
  Segment,
  SegmentSpecInput,
} from '@/domain/flags';
import type { RequestOptions } from './request';

interface FlagSwitchOptions extends RequestOptions {
  /** Why, in the person's words. */
  comment?: string;
}

/** Feature flags, segments and the OFREP keys, as the UI uses them. */
export interface FlagsCapability {
  listFlags(): Promise<Flag[]>;
  getFlag(key: string): Promise<Flag>;
  createFlag(spec: FlagSpecInput): Promise<Flag>;
  /** Refused with 409 `version_conflict` when `version` is not the stored one. */
  updateFlag(key: string, version: number, spec: FlagSpecInput): Promise<Flag>;
  deleteFlag(key: string, version: number): Promise<void>;
  /**
   * The kill switch: off in one environment. Any signed-in user; idempotent. The comment is
   * kept in the flag's history and the audit log.
   */
  killFlag(key: string, environment: Environment, options?: FlagSwitchOptions): Promise<Flag>;
  /** Editors only; the comment is kept as for `killFlag`. */
  enableFlag(key: string, environment: Environment, options?: FlagSwitchOptions): Promise<Flag>;
  /** Newest first. */
  flagHistory(key: string): Promise<FlagHistoryEntry[]>;
  listSegments(): Promise<Segment[]>;
  createSegment(spec: SegmentSpecInput): Promise<Segment>;
  updateSegment(key: string, version: number, spec: SegmentSpecInput): Promise<Segment>;
  deleteSegment(key: string, version: number): Promise<void>;
  /** One environment's flags as a flagd flag-definition document. */
  exportFlags(environment: Environment): Promise<FlagdDocument>;
  /** All or nothing: one bad flag refuses the whole document. */
  importFlags(environment: Environment, document: unknown): Promise<ImportFlagsResponse>;
  /** The instances serving a flag's on-cohort for a service in an environment: what an inherited blast radius resolves to. */
  flagCohort(key: string, service: string, environment: Environment): Promise<FlagCohortInstances>;
  /** Admins only: the keys by their first characters (the server keeps only a hash). */
  ofrepKeys(): Promise<OfrepKey[]>;
  /** Admins only: a new key for an environment (the old one stops working), shown this once. */
  rotateOfrepKey(environment: Environment): Promise<NewOfrepKey>;
}

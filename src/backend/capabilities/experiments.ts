import type { HaltAllRequest, HaltAllResponse } from '@/domain/api';
import type { Environment } from '@/domain/environments';
import type { Experiment, ExperimentSpecInput, NewExperimentInput } from '@/domain/experiment';
import type { ExperimentState } from '@/domain/lifecycle';
import type { RequestOptions } from './request';

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

export interface ExperimentsCapability {
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

import type { Experiment } from '@/domain';
import { ExperimentExportMenu } from '../export/experiment-export-menu';
import { DuplicateLink } from './duplicate-link';
import { RunInNextEnvironment } from './run-in-next-environment';

/** What the designer adds to an experiment's page: duplicate it, carry it to the next stage, export it. */
export function DesignActions({ experiment }: { experiment: Experiment }) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      <DuplicateLink experiment={experiment} />
      <RunInNextEnvironment experiment={experiment} />
      <ExperimentExportMenu experiment={experiment} />
    </div>
  );
}

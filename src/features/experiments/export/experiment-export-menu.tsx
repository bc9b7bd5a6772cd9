import { specOf, type Experiment } from '@/domain';
import { ExportMenu } from './export-menu';

/** Export, for an experiment on the server (the detail page). */
export function ExperimentExportMenu({ experiment }: { experiment: Experiment }) {
  return (
    <ExportMenu
      spec={specOf(experiment)}
      experimentId={experiment.id}
      targets={experiment.run?.targets}
    />
  );
}

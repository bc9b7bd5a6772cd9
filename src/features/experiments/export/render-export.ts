import type { ExperimentSpec } from '@/domain';
import type { ChaosMeshOptions } from './blast-radius-limit';
import { chaosMeshYaml } from './chaos-mesh';
import { chaosToolkitJson, type ChaosToolkitOptions } from './chaos-toolkit';
import type { ExportFormatId } from './export-formats';
import { toFaultlineJson } from './faultline-json';

/** What the exports need beyond the design: the experiment's id once it is saved. */
export type ExportOptions = ChaosToolkitOptions & ChaosMeshOptions;

const RENDER: Record<ExportFormatId, (spec: ExperimentSpec, options: ExportOptions) => string> = {
  faultline: toFaultlineJson,
  'chaos-mesh': chaosMeshYaml,
  'chaos-toolkit': chaosToolkitJson,
};

/** The experiment in one of the export formats. Loaded only when someone exports (it brings the YAML writer). */
export function renderExport(
  format: ExportFormatId,
  spec: ExperimentSpec,
  options: ExportOptions = {},
): string {
  return RENDER[format](spec, options);
}

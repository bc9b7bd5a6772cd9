import type { ExperimentSpec } from '@/domain';
import { chaosMeshYaml } from './chaos-mesh';
import { chaosToolkitJson } from './chaos-toolkit';
import type { ExportFormatId } from './export-formats';
import { toFaultlineJson } from './faultline-json';

const RENDER: Record<ExportFormatId, (spec: ExperimentSpec) => string> = {
  faultline: toFaultlineJson,
  'chaos-mesh': chaosMeshYaml,
  'chaos-toolkit': chaosToolkitJson,
};

/** The experiment in one of the export formats. Loaded only when someone exports (it brings the YAML writer). */
export function renderExport(format: ExportFormatId, spec: ExperimentSpec): string {
  return RENDER[format](spec);
}

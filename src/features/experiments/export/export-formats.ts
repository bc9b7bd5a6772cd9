import type { ExperimentSpec } from '@/domain';
import { chaosMeshYaml } from './chaos-mesh';
import { chaosToolkitJson } from './chaos-toolkit';
import { toFaultlineJson } from './faultline-json';
import { exportFileName } from './names';

export interface ExportFormat {
  id: 'faultline' | 'chaos-mesh' | 'chaos-toolkit';
  label: string;
  description: string;
  suffix: string;
  mediaType: string;
  render: (spec: ExperimentSpec) => string;
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'faultline',
    label: 'Faultline JSON',
    description: 'The experiment itself, versioned; import it here again.',
    suffix: 'faultline.json',
    mediaType: 'application/json',
    render: toFaultlineJson,
  },
  {
    id: 'chaos-mesh',
    label: 'Chaos Mesh YAML',
    description: 'A StressChaos, NetworkChaos, HTTPChaos or PodChaos (a Workflow for a ramp).',
    suffix: 'chaos-mesh.yaml',
    mediaType: 'application/yaml',
    render: chaosMeshYaml,
  },
  {
    id: 'chaos-toolkit',
    label: 'Chaos Toolkit JSON',
    description: 'Steady-state probes from the abort conditions, the attack as its method.',
    suffix: 'chaostoolkit.json',
    mediaType: 'application/json',
    render: chaosToolkitJson,
  },
];

export const fileNameFor = (format: ExportFormat, spec: ExperimentSpec) => exportFileName(spec.name, format.suffix);

import type { ExperimentSpec } from '@/domain';
import { exportFileName } from './names';

export type ExportFormatId = 'faultline' | 'chaos-mesh' | 'chaos-toolkit';

export interface ExportFormat {
  id: ExportFormatId;
  label: string;
  description: string;
  suffix: string;
  mediaType: string;
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'faultline',
    label: 'Faultline JSON',
    description: 'The experiment itself, versioned; import it here again.',
    suffix: 'faultline.json',
    mediaType: 'application/json',
  },
  {
    id: 'chaos-mesh',
    label: 'Chaos Mesh YAML',
    description:
      'A StressChaos, NetworkChaos, HTTPChaos or PodChaos; a Workflow for a ramp or, once saved, to abort on its conditions.',
    suffix: 'chaos-mesh.yaml',
    mediaType: 'application/yaml',
  },
  {
    id: 'chaos-toolkit',
    label: 'Chaos Toolkit JSON',
    description: 'Steady-state probes from the abort conditions, the attack as its method.',
    suffix: 'chaostoolkit.json',
    mediaType: 'application/json',
  },
];

export const fileNameFor = (format: ExportFormat, spec: ExperimentSpec) =>
  exportFileName(spec.name, format.suffix);

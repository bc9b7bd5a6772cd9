export { EditExperimentPage as Component } from '@/features/experiments/designer/edit-experiment-page';

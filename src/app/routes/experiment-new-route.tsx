export { NewExperimentPage as Component } from '@/features/experiments/designer/new-experiment-page';

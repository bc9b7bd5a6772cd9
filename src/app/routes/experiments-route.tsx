import { ExperimentsList } from '@/features/experiments/experiments-list';

export { ExperimentsList as Component };

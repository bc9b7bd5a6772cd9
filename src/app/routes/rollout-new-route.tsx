export { NewRolloutPage as Component } from '@/features/rollouts/designer/new-rollout-page';

export { RolloutPage as Component } from '@/features/rollouts/rollout-page';

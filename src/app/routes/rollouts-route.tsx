export { RolloutsPage as Component } from '@/features/rollouts/rollouts-page';

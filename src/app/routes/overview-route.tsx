import { Overview } from '@/features/overview/overview';

export { Overview as Component };

import { StatusPage } from '@/features/status/status-page';

export { StatusPage as Component };

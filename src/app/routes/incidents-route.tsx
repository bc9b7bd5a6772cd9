import { IncidentsPage } from '@/features/status/incidents-page';

export { IncidentsPage as Component };

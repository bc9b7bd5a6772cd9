import { AgentsPage } from '@/features/agents/agents-page';

export { AgentsPage as Component };

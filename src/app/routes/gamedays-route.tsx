import { GamedaysList } from '@/features/gamedays/gamedays-list';

export { GamedaysList as Component };

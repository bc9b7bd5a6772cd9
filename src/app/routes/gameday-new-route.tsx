import { NewGamedayPage } from '@/features/gamedays/new-gameday-page';

export { NewGamedayPage as Component };

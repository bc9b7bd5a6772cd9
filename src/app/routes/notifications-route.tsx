import { NotificationsPage } from '@/features/notifications/notifications-page';

export { NotificationsPage as Component };

export { FlagsPage as Component } from '@/features/flags/flags-page';

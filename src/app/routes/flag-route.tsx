export { FlagPage as Component } from '@/features/flags/flag-page';

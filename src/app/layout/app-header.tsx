import { NavLink } from 'react-router';
import { ConnectionIndicator } from '@/components/connection-indicator';
import { EnvironmentSelect } from '@/components/environment-select';
import { KillSwitch } from '@/components/kill-switch/kill-switch';
import { ThemeToggle } from '@/components/theme-toggle';
import type { User } from '@/domain/roles';
import { useBackend } from '@/lib/backend-context';
import { navLinksFor } from '../nav-links';
import { UserMenu } from './user-menu';

/**
 * On every signed-in page. The first row says where you are and who you are; the second
 * holds what a game day needs at a glance: the environment in view, whether the data is
 * live, and the kill switch, always in the same place.
 */
export function AppHeader({ user }: { user: User | null }) {
  const backend = useBackend();
  const navLinks = navLinksFor(backend, user);
  return (
    <header className="sticky top-0 z-20 border-b border-line bg-surface/95 backdrop-blur">
      {/* On a phone the links scroll sideways in one line, so the sticky header stays small. */}
      <div className="mx-auto flex max-w-[120rem] flex-wrap items-center gap-x-6 gap-y-1 px-4 pt-2 md:px-6">
        <span className="order-1 text-lg font-black tracking-tight md:text-xl">Faultline</span>
        <nav
          aria-label="Main"
          className="order-3 -mx-1 flex w-full flex-nowrap gap-1 overflow-x-auto md:order-2 md:mx-0 md:w-auto md:flex-wrap"
        >
          {navLinks.map((link) => (
            <NavLink
              key={link.to}
              to={link.to}
              end={link.end}
              className={({ isActive }) =>
                'rounded-md px-2 py-1 font-semibold whitespace-nowrap md:px-3 md:py-1.5 ' +
                (isActive ? 'bg-raised text-fg' : 'text-muted hover:text-fg')
              }
            >
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="order-2 ml-auto flex items-center gap-2 md:order-3 md:gap-4">
          {backend.identity && <UserMenu user={user} />}
          <ThemeToggle />
        </div>
      </div>
      <div className="mx-auto flex max-w-[120rem] flex-wrap items-center gap-x-4 gap-y-1 px-4 py-1.5 md:gap-x-6 md:py-2 md:px-6">
        <EnvironmentSelect />
        <ConnectionIndicator />
        <div className="ml-auto">
          <KillSwitch />
        </div>
      </div>
    </header>
  );
}

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
  const navLinks = navLinksFor(backend);
  return (
    <header className="sticky top-0 z-20 border-b border-line bg-surface/95 backdrop-blur">
      <div className="mx-auto flex max-w-[120rem] flex-wrap items-center gap-x-6 gap-y-2 px-4 pt-2 md:px-6">
        <span className="text-xl font-black tracking-tight">Faultline</span>
        <nav aria-label="Main" className="flex flex-wrap gap-1">
          {navLinks.map((link) => (
            <NavLink
              key={link.to}
              to={link.to}
              end={link.end}
              className={({ isActive }) =>
                `rounded-md px-3 py-1.5 font-semibold ${isActive ? 'bg-raised text-fg' : 'text-muted hover:text-fg'}`
              }
            >
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-4">
          {backend.identity && <UserMenu user={user} />}
          <ThemeToggle />
        </div>
      </div>
      <div className="mx-auto flex max-w-[120rem] flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2 md:px-6">
        <EnvironmentSelect />
        <ConnectionIndicator />
        <div className="ml-auto">
          <KillSwitch />
        </div>
      </div>
    </header>
  );
}

import { createContext, useContext, type ReactNode } from 'react';
import type { Backend, OptionalCapability } from '@/backend/backend';

const BackendContext = createContext<Backend | null>(null);

export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend needs a <BackendProvider> above it');
  return backend;
}

/** Whether the backend in use has a capability: pages and controls of absent ones are hidden. */
export function useHasCapability(name: OptionalCapability): boolean {
  return useBackend()[name] !== undefined;
}

/**
 * A capability the calling page depends on. Pages of an absent capability are not routed
 * to, so reaching this without it is a bug in the page's wiring, not a user's mistake.
 */
export function capability<K extends OptionalCapability>(
  backend: Backend,
  name: K,
): NonNullable<Backend[K]> {
  const part = backend[name];
  if (part === undefined) throw new Error(`this backend has no ${name} capability`);
  return part as NonNullable<Backend[K]>;
}

import { useSyncExternalStore } from 'react';
import { tokenStorage } from './token-storage';

/** The bearer token kept for this browser, re-rendering when someone signs in or out. */
export function useToken(): string | null {
  return useSyncExternalStore(tokenStorage.subscribe, tokenStorage.get, () => null);
}

/**
 * The one place the bearer token is kept. Session storage by default (it dies with the
 * tab); local storage when the person asks to stay signed in on this device.
 */
const KEY = 'faultline.token';
type Listener = (token: string | null) => void;
const listeners = new Set<Listener>();

function stores(): Storage[] {
  if (typeof window === 'undefined') return [];
  return [window.sessionStorage, window.localStorage];
}

export const tokenStorage = {
  get(): string | null {
    for (const store of stores()) {
      const token = store.getItem(KEY);
      if (token) return token;
    }
    return null;
  },
  set(token: string, remember: boolean): void {
    const [session, local] = stores();
    (remember ? session : local)?.removeItem(KEY);
    (remember ? local : session)?.setItem(KEY, token);
    listeners.forEach((listener) => listener(token));
  },
  clear(): void {
    for (const store of stores()) store.removeItem(KEY);
    listeners.forEach((listener) => listener(null));
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

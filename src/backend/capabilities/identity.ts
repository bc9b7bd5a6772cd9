import type { AuthInfo, SessionResponse } from '@/domain/api';
import type { User } from '@/domain/roles';

/**
 * Who is signed in. A backend without it has no sign-in: every page is open and the
 * backend alone decides what is allowed.
 */
export interface IdentityCapability {
  authInfo(): Promise<AuthInfo>;
  /** Present only where the backend offers demo users: a token for one of them. */
  createDemoSession?: (user: string) => Promise<SessionResponse>;
  me(): Promise<User>;
  /** Ends the session on the backend: its token stops working. */
  signOut(): Promise<void>;
}

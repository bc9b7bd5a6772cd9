import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../src/domain';
import type { Clock } from './clock';
import type { ConfiguredUser } from './config';

/** One user per role, created when no users are configured. */
export const DEMO_USERS: readonly User[] = [
  { name: 'ada-admin', displayName: 'Ada (admin)', role: 'admin' },
  { name: 'sam-sre', displayName: 'Sam (SRE)', role: 'sre' },
  { name: 'dev-dana', displayName: 'Dana (developer)', role: 'developer' },
  { name: 'vic-viewer', displayName: 'Vic (viewer)', role: 'viewer' },
];

/** A stream ticket lives this long, in ms: enough to open an EventSource, too short to leak usefully. */
export const STREAM_TICKET_TTL_MS = 30_000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(24).toString('base64url');

export interface Identity {
  demo: boolean;
  /** The users one may sign in as in demo mode; empty otherwise. */
  demoUsers(): User[];
  /** Demo mode only: a fresh bearer token for a demo user, or null for an unknown name. */
  createSession(name: string): { token: string; user: User } | null;
  userForToken(token: string): User | null;
  issueStreamTicket(user: User): { ticket: string; expiresAt: number };
  /** Spends a ticket: it works once, before it expires. */
  redeemStreamTicket(ticket: string): User | null;
}

/** Tokens are kept only as SHA-256 hashes, in memory: demo sessions end with the process. */
export function createIdentity(
  configured: readonly ConfiguredUser[] | null,
  clock: Clock,
): Identity {
  const tokens = new Map<string, User>();
  const tickets = new Map<string, { user: User; expiresAt: number }>();
  for (const entry of configured ?? []) {
    tokens.set(hash(entry.token), {
      name: entry.name,
      displayName: entry.displayName ?? entry.name,
      role: entry.role,
    });
  }
  const demo = configured === null;

  const dropExpiredTickets = () => {
    const now = clock.now();
    for (const [key, value] of tickets) if (value.expiresAt <= now) tickets.delete(key);
  };

  return {
    demo,
    demoUsers: () => (demo ? DEMO_USERS.map((u) => ({ ...u })) : []),
    createSession(name) {
      if (!demo) return null;
      const user = DEMO_USERS.find((u) => u.name === name);
      if (!user) return null;
      const token = newToken();
      tokens.set(hash(token), { ...user });
      return { token, user: { ...user } };
    },
    userForToken: (token) => tokens.get(hash(token)) ?? null,
    issueStreamTicket(user) {
      dropExpiredTickets();
      const ticket = newToken();
      const expiresAt = clock.now() + STREAM_TICKET_TTL_MS;
      tickets.set(hash(ticket), { user, expiresAt });
      return { ticket, expiresAt };
    },
    redeemStreamTicket(ticket) {
      const key = hash(ticket);
      const entry = tickets.get(key);
      tickets.delete(key);
      if (!entry || entry.expiresAt <= clock.now()) return null;
      return entry.user;
    },
  };
}

import type { User } from '../src/domain';
import type { Clock } from './clock';
import type { ConfiguredUser } from './config';
import { hashSecret as hash, newSecret as newToken } from './secrets';

/** One user per role, created when no users are configured. */
export const DEMO_USERS: readonly User[] = [
  { name: 'ada-admin', displayName: 'Ada (admin)', role: 'admin' },
  { name: 'sam-sre', displayName: 'Sam (SRE)', role: 'sre' },
  { name: 'dev-dana', displayName: 'Dana (developer)', role: 'developer' },
  { name: 'vic-viewer', displayName: 'Vic (viewer)', role: 'viewer' },
];

/** A stream ticket lives this long, in ms: enough to open an EventSource, too short to leak usefully. */
const STREAM_TICKET_TTL_MS = 30_000;
/** Demo sessions held at most; signing in past it ends the oldest (memory stays bounded). */
const MAX_DEMO_SESSIONS = 10_000;

export interface Identity {
  demo: boolean;
  /** The users one may sign in as in demo mode; empty otherwise. */
  demoUsers(): User[];
  /** Demo mode only: a fresh bearer token for a demo user, or null for an unknown name. */
  createSession(name: string): { token: string; user: User } | null;
  userForToken(token: string): User | null;
  /** Signs out: a demo session's token stops working at once. False for a configured token. */
  revoke(token: string): boolean;
  issueStreamTicket(user: User): { ticket: string; expiresAt: number };
  /** Spends a ticket: it works once, before it expires. */
  redeemStreamTicket(ticket: string): User | null;
  /** The user names whose name or display name contains `text` (any case): "Sam" finds sam-sre. */
  namesMatching(text: string): string[];
}

/**
 * Tokens are kept only as SHA-256 hashes, in memory: demo sessions end with the process, at
 * sign-out, or `sessionTtlMs` after sign-in. Configured tokens live as long as the configuration.
 */
export function createIdentity(
  configured: readonly ConfiguredUser[] | null,
  clock: Clock,
  sessionTtlMs: number = 12 * 3_600_000,
): Identity {
  const tokens = new Map<string, User>();
  /** Demo sessions, oldest first (a Map keeps insertion order). */
  const sessions = new Map<string, { user: User; expiresAt: number }>();
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
      const now = clock.now();
      for (const [key, session] of sessions) {
        if (session.expiresAt > now && sessions.size < MAX_DEMO_SESSIONS) break;
        sessions.delete(key);
      }
      const token = newToken();
      sessions.set(hash(token), { user: { ...user }, expiresAt: now + sessionTtlMs });
      return { token, user: { ...user } };
    },
    userForToken(token) {
      const key = hash(token);
      const configuredUser = tokens.get(key);
      if (configuredUser) return configuredUser;
      const session = sessions.get(key);
      if (!session) return null;
      if (session.expiresAt > clock.now()) return session.user;
      sessions.delete(key);
      return null;
    },
    revoke: (token) => sessions.delete(hash(token)),
    issueStreamTicket(user) {
      dropExpiredTickets();
      const ticket = newToken();
      const expiresAt = clock.now() + STREAM_TICKET_TTL_MS;
      tickets.set(hash(ticket), { user, expiresAt });
      return { ticket, expiresAt };
    },
    namesMatching(text) {
      const wanted = text.trim().toLowerCase();
      const people = demo ? DEMO_USERS : [...tokens.values()];
      return people
        .filter(
          (u) =>
            u.name.toLowerCase().includes(wanted) || u.displayName.toLowerCase().includes(wanted),
        )
        .map((u) => u.name);
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

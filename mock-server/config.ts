import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { roleSchema } from '../src/domain';
import {
  BackendsConfigError,
  readBackendsConfig,
  type BackendsConfig,
} from './backends/backends-config';
import { promqlProblems } from './backends/prometheus/promql-check';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limits';

/** A user given in the FAULTLINE_USERS file: who they are and the bearer token they sign in with. */
const configuredUserSchema = z.object({
  name: z.string().min(1),
  displayName: z.string().min(1).optional(),
  role: roleSchema,
  token: z.string().min(16, 'a token is at least 16 characters'),
});
export type ConfiguredUser = z.infer<typeof configuredUserSchema>;

/** Flags every user after the first who repeats an earlier user's name or token. */
function checkUnique(users: readonly ConfiguredUser[], ctx: z.RefinementCtx): void {
  const names = new Map<string, number>();
  const tokens = new Map<string, number>();
  users.forEach((user, index) => {
    const sameName = names.get(user.name);
    if (sameName !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `the name "${user.name}" is already given to user ${sameName}: each name once`,
      });
    const sameToken = tokens.get(user.token);
    // The token itself is a secret: name the users that share it, never the token.
    if (sameToken !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [index, 'token'],
        message:
          `"${user.name}" has the same token as user ${sameToken} ` +
          `("${users[sameToken]?.name ?? ''}"): each user needs their own token`,
      });
    names.set(user.name, names.get(user.name) ?? index);
    tokens.set(user.token, tokens.get(user.token) ?? index);
  });
}

/** The users file: a list of users, or `{ "users": [...] }`. */
const usersListSchema = z
  .array(configuredUserSchema)
  .min(1, 'list at least one user')
  .superRefine(checkUnique);
const usersObjectSchema = z.object({ users: usersListSchema });

const LOOPBACK = '127.0.0.1';

/** Fastify's (pino's) levels; `error` logs only unexpected errors (5xx, a failed tick). */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4400),
  HOST: z.string().min(1).default(LOOPBACK),
  FAULTLINE_DATA: z.string().min(1).default('./data'),
  /** How often the simulation samples the fleet and the engine judges abort conditions, in ms. */
  FAULTLINE_TICK_MS: z.coerce.number().int().min(100).max(10_000).default(1000),
  FAULTLINE_SEED: z.coerce.number().int().default(1),
  FAULTLINE_USERS: z.string().min(1).optional(),
  /** The backends file (docs/backends.md): environments read from Prometheus instead of the simulation. */
  FAULTLINE_BACKENDS: z.string().min(1).optional(),
  /** Prometheus's promtool, which checks the backends file's PromQL at start-up. */
  FAULTLINE_PROMTOOL: z.string().min(1).default('promtool'),
  FAULTLINE_LOG_LEVEL: z.enum(LOG_LEVELS).default('error'),
  /** How long a demo session's token works after sign-in, in minutes (default 12 h). */
  FAULTLINE_SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(12 * 60),
});

export interface ServerConfig {
  port: number;
  host: string;
  /** Folder holding the SQLite file. */
  dataDir: string;
  tickMs: number;
  seed: number;
  /** How long a demo session's token works after sign-in, in ms. */
  sessionTtlMs: number;
  /** Configured users, or null in demo mode. */
  users: ConfiguredUser[] | null;
  /** The server log's level: quiet (`error`: one JSON line per unexpected error) by default. */
  logLevel: LogLevel;
  /** Environments whose metrics come from Prometheus (FAULTLINE_BACKENDS), or null: all simulated. */
  backends: BackendsConfig | null;
  /** Build the dashboard first when dist/ has none, or is older than its sources. */
  buildIfStale: boolean;
  /** Things the operator should know about how the configuration was applied. */
  notices: string[];
  /** Sign-ins and failed credentials per client address (429 past them). */
  rateLimits: RateLimits;
}

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: 4400,
    host: LOOPBACK,
    dataDir: './data',
    tickMs: 1000,
    seed: 1,
    sessionTtlMs: 12 * 3_600_000,
    users: null,
    backends: null,
    logLevel: 'error',
    buildIfStale: false,
    notices: [],
    rateLimits: DEFAULT_RATE_LIMITS,
    ...overrides,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const loopbackAddresses = new BlockList();
loopbackAddresses.addSubnet('127.0.0.0', 8, 'ipv4');
loopbackAddresses.addAddress('::1', 'ipv6');

/**
 * Whether `host` is a loopback address: 127.0.0.0/8, ::1 and their IPv4-mapped forms
 * (::ffff:127.x.x.x), compared as addresses; `localhost` by name. Any other name is not.
 */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 0) return false;
  return loopbackAddresses.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

function readUsers(file: string): ConfiguredUser[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`FAULTLINE_USERS: cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = Array.isArray(raw)
    ? usersListSchema.safeParse(raw)
    : usersObjectSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(
      `FAULTLINE_USERS: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`,
    );
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.users;
}

/** The backends file, its PromQL parsed by promtool when there is one. */
function readBackends(file: string, promtool: string, notices: string[]): BackendsConfig {
  let backends: BackendsConfig;
  try {
    backends = readBackendsConfig(file);
  } catch (error) {
    if (error instanceof BackendsConfigError)
      throw new ConfigError(`FAULTLINE_BACKENDS: ${error.message}`);
    throw error;
  }
  const problems = promqlProblems(backends, promtool);
  if (problems === null)
    notices.push(
      `FAULTLINE_BACKENDS: ${promtool} was not found, so the PromQL templates were not parsed before use`,
    );
  else if (problems.length > 0)
    throw new ConfigError(`FAULTLINE_BACKENDS: ${problems.slice(0, 5).join('; ')}`);
  return backends;
}

/** Parses the environment and command line. Throws ConfigError naming the variable at fault. */
export function parseConfig(
  env: Record<string, string | undefined>,
  argv: readonly string[],
): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const values = parsed.data;
  const users = values.FAULTLINE_USERS ? readUsers(values.FAULTLINE_USERS) : null;
  const notices: string[] = [];
  const backends = values.FAULTLINE_BACKENDS
    ? readBackends(values.FAULTLINE_BACKENDS, values.FAULTLINE_PROMTOOL, notices)
    : null;
  let host = values.HOST;
  if (!users && !isLoopback(host)) {
    notices.push(
      `demo mode: no FAULTLINE_USERS given, so binding to ${LOOPBACK} instead of ${host}`,
    );
    host = LOOPBACK;
  }
  return {
    port: values.PORT,
    host,
    dataDir: path.resolve(values.FAULTLINE_DATA),
    tickMs: values.FAULTLINE_TICK_MS,
    seed: values.FAULTLINE_SEED,
    sessionTtlMs: values.FAULTLINE_SESSION_TTL_MINUTES * 60_000,
    users,
    backends,
    logLevel: values.FAULTLINE_LOG_LEVEL,
    buildIfStale: argv.includes('--build-if-stale'),
    notices,
    rateLimits: DEFAULT_RATE_LIMITS,
  };
}

export function loadConfig(): ServerConfig {
  return parseConfig(process.env, process.argv.slice(2));
}

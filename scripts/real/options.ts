import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * `npm run start:real`'s settings: the same PORT, HOST and FAULTLINE_DATA as `npm start`
 * (passed on to the server as they are), and a few of its own. Parsed once, here.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4400),
  HOST: z.string().min(1).default('127.0.0.1'),
  FAULTLINE_DATA: z.string().min(1).default('./data'),
  FAULTLINE_USERS: z.string().min(1).optional(),
  /** How many shop instances (processes) to start. */
  SHOP_INSTANCES: z.coerce.number().int().min(1).max(8).default(3),
  /**
   * `1`: one more instance, `shop-canary`, running the shop's canary build (the new checkout
   * path for everyone, defects included), labelled version=canary for canary rollouts.
   */
  SHOP_CANARY: z.enum(['0', '1']).default('0'),
  /** Checkout requests per second over every instance. */
  SHOP_TRAFFIC_RATE: z.coerce.number().min(1).max(500).default(15),
  /** The environment whose metrics come from the real Prometheus; the others stay simulated. */
  SHOP_ENVIRONMENT: z.enum(['development', 'testing', 'staging', 'production']).default('staging'),
  PROMETHEUS_PATH: z.string().min(1).default('/usr/bin/prometheus'),
  /** `1`: serve the API only, never build the dashboard first (for tests and headless use). */
  START_REAL_API_ONLY: z.enum(['0', '1']).default('0'),
});
export type RealOptions = z.infer<typeof envSchema>;

export function realOptions(env: NodeJS.ProcessEnv): RealOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'),
    );
  }
  return parsed.data;
}

const usersFileSchema = z.union([
  z.array(z.object({ role: z.string(), token: z.string() })),
  z.object({ users: z.array(z.object({ role: z.string(), token: z.string() })) }),
]);

/** An admin's token from the FAULTLINE_USERS file (to create the agent token), or null. */
export function adminTokenFrom(file: string): string | null {
  const parsed = usersFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) return null;
  const users = Array.isArray(parsed.data) ? parsed.data : parsed.data.users;
  return users.find((user) => user.role === 'admin')?.token ?? null;
}

/** Loopback as the server counts it: 127.0.0.0/8, ::1 (and their mapped forms), localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

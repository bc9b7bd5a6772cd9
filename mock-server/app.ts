import Fastify, { type FastifyInstance } from 'fastify';
import path from 'node:path';
import { createEventBus } from './bus';
import { systemClock, type Clock } from './clock';
import { defaultConfig, type ServerConfig } from './config';
import { bearerToken, createCoreContext, type CoreContext } from './context';
import { installErrorHandler } from './errors';
import { createIdentity } from './identity';
import { seededRandom, type Random } from './random';
import { auditRoutes } from './routes/audit-routes';
import { healthRoutes } from './routes/health-routes';
import { sessionRoutes } from './routes/session-routes';
import { auditStore } from './store/audit-store';
import { openDatabase } from './store/database';

export interface BuildAppOptions {
  config?: Partial<ServerConfig>;
  /** SQLite file, or ':memory:'. Defaults to faultline.sqlite in the data folder. */
  database?: string;
  clock?: Clock;
  random?: Random;
}

export interface FaultlineApp {
  app: FastifyInstance;
  context: CoreContext;
  clock: Clock;
}

export const DATABASE_FILE = 'faultline.sqlite';

/** Builds the server without listening: the store, the clock and the random source come in from outside. */
export async function buildApp(options: BuildAppOptions = {}): Promise<FaultlineApp> {
  const config = defaultConfig(options.config);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? seededRandom(config.seed);
  const db = openDatabase(options.database ?? path.join(config.dataDir, DATABASE_FILE));
  const bus = createEventBus(clock);
  const context = createCoreContext({
    config,
    db,
    clock,
    random,
    bus,
    identity: createIdentity(config.users, clock),
    audit: auditStore(db),
  });

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.decorateRequest('user', null);
  installErrorHandler(app);
  // Safe by default: every /api/v1 route needs a signed-in user unless it says it is public.
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    request.user = token ? context.identity.userForToken(token) : null;
    if (request.url.startsWith('/api/v1/') && !request.routeOptions.config.public) context.requireUser(request);
  });
  app.addHook('onClose', async () => {
    db.close();
  });

  await healthRoutes(app, context);
  await sessionRoutes(app, context);
  await auditRoutes(app, context);

  await app.ready();
  return { app, context, clock };
}

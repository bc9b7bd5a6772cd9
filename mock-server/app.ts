import Fastify, { type FastifyInstance } from 'fastify';
import path from 'node:path';
import { createEventBus } from './bus';
import { systemClock, type Clock } from './clock';
import { defaultConfig, type ServerConfig } from './config';
import { bearerToken, createCoreContext, type ServerContext } from './context';
import { createEngine, type Engine } from './engine/engine';
import { groupsOf } from './engine/run-state';
import { compositeBackend } from './backends/composite-backend';
import type { Backend } from './backends/seams';
import { frameworkErrors, installErrorHandler } from './errors';
import { flagModule } from './flags/flag-module';
import { progressiveDelivery } from './flags/progressive-delivery';
import { createIdentity } from './identity';
import { installRouteSchemas } from './route-schemas';
import { failureLimiter, installRateLimits } from './rate-limits';
import { installSecurityHeaders } from './security-headers';
import { seededRandom, type Random } from './random';
import { withAgents } from './agents/agent-backend';
import { createFlagServiceChaos } from './flags/flag-service-chaos';
import { withFlagService } from './flags/flag-service-backend';
import { createAgentHub } from './agents/agent-hub';
import { agentModule, type AgentModule } from './agents/agent-routes';
import { auditExportRoutes } from './audit/audit-export-routes';
import { gamedayRoutes } from './gamedays/gameday-routes';
import { auditRoutes } from './routes/audit-routes';
import { dashboardRoutes, sendDashboard, wantsDashboard } from './routes/dashboard-routes';
import { experimentRoutes } from './routes/experiment-routes';
import { fleetRoutes } from './routes/fleet-routes';
import { haltAllRoutes } from './routes/halt-all-routes';
import { healthRoutes } from './routes/health-routes';
import { canaryWeightLines, prometheusRoutes } from './routes/prometheus-routes';
import type { PrometheusClient } from './backends/prometheus/prometheus-client';
import type { Environment } from '../src/domain';
import { sessionRoutes } from './routes/session-routes';
import { skippedRecordRoutes } from './routes/skipped-record-routes';
import { streamRoutes } from './routes/stream-routes';
import { notificationModule, type NotificationOptions } from './notifications/notification-module';
import { rolloutModule } from './rollouts/rollout-module';
import type { RolloutRunner } from './rollouts/rollout-runner';
import { statusRoutes } from './status/status-routes';
import { seedSampleData, seedSampleRollouts } from './sample-data';
import { createSimulation, type Simulation } from './simulation/simulation';
import { simulationBackend } from './simulation/simulation-backend';
import type { CodePathDefect } from './simulation/traffic-split';
import { auditStore } from './store/audit-store';
import { openDatabase } from './store/database';
import { skippedRecordsOf } from './store/records';
import { experimentStore } from './store/experiment-store';

export interface BuildAppOptions {
  config?: Partial<ServerConfig>;
  /** SQLite file, or ':memory:'. Defaults to faultline.sqlite in the data folder. */
  database?: string;
  clock?: Clock;
  random?: Random;
  /** Seed a fresh database with the sample experiments (default true). */
  sampleData?: boolean;
  /** Tick on the clock (default true); off, a test calls `engine.tick()` itself. */
  ticking?: boolean;
  /** A built dashboard (a folder with index.html) to serve next to the API. */
  dashboardDir?: string;
  /** Defects hidden behind flags' new code paths (default: the sample data's). */
  codePathDefects?: CodePathDefect[];
  /** Where the log's JSON lines go (default stdout); tests read them. */
  logStream?: { write(line: string): void };
  /** How webhooks are sent (tests shorten the retries and the timeout). */
  notifications?: NotificationOptions;
  /** Per environment the backends file points at Prometheus, a client instead of HTTP (tests). */
  prometheusClient?: (environment: Environment) => PrometheusClient | undefined;
}

export interface FaultlineApp {
  app: FastifyInstance;
  context: ServerContext;
  clock: Clock;
  engine: Engine;
  /** The embedded simulation (every environment the configuration does not point elsewhere). */
  simulation: Simulation;
  agents: AgentModule;
  backend: Backend;
  /** Rollouts' steps and analyses, moved on by the engine's beats. */
  rollouts: RolloutRunner;
}

export const DATABASE_FILE = 'faultline.sqlite';

/** Builds the server without listening: the store, the clock and the random source come in from outside. */
export async function buildApp(options: BuildAppOptions = {}): Promise<FaultlineApp> {
  const config = defaultConfig(options.config);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? seededRandom(config.seed);
  const db = openDatabase(options.database ?? path.join(config.dataDir, DATABASE_FILE));
  const core = createCoreContext({
    config,
    db,
    clock,
    random,
    bus: createEventBus(clock),
    identity: createIdentity(config.users, clock, config.sessionTtlMs),
    audit: auditStore(db),
  });
  const simulation = createSimulation({
    random,
    tickMs: config.tickMs,
    ...(options.codePathDefects ? { codePathDefects: options.codePathDefects } : {}),
  });
  const agentHub = createAgentHub(clock);
  const simulated = simulationBackend(simulation, config.tickMs);
  const experiments = experimentStore(db);
  // Environments the backends file points at Prometheus read from it; the others are simulated.
  const composite = config.backends
    ? compositeBackend(simulated, config.backends, {
        inventory: () => backend.inventory,
        ...(options.prometheusClient ? { client: options.prometheusClient } : {}),
        experimentGroups: (id) => {
          const experiment = experiments.get(id);
          return experiment?.run ? groupsOf(experiment) : undefined;
        },
      })
    : null;
  // Faultline's own flag service is a target too: its OFREP endpoint, one per environment,
  // with its own random source, so an error share drawn per request leaves the simulation's alone.
  const ofrepRandom = seededRandom(config.seed + 1);
  const flagChaos = createFlagServiceChaos(() => ofrepRandom.next());
  const embedded = withFlagService(composite?.backend ?? simulated, flagChaos);
  // Agents' targets join the fleet; faults on them go to their agent.
  const backend: Backend = withAgents(embedded, agentHub);
  const engine = createEngine(core, backend, experiments, {
    missingMetrics: (environment) =>
      composite?.missingMetrics(environment) ?? {
        graceMs: 3 * config.tickMs,
        onMissing: 'abort',
      },
  });
  const context: ServerContext = { ...core, backend, experiments, engine };

  if (options.sampleData ?? true) seedSampleData(context);

  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    forceCloseConnections: true,
    frameworkErrors,
  });
  app.decorateRequest('user', null);
  installSecurityHeaders(app);
  await installRateLimits(app);
  const authFailed = failureLimiter(app, 'failed sign-ins', config.rateLimits.authFailures);
  await installRouteSchemas(app);
  const dashboardDir = options.dashboardDir;
  installErrorHandler(
    app,
    dashboardDir
      ? (request, reply) => (wantsDashboard(request) ? sendDashboard(reply) : null)
      : undefined,
  );
  // Safe by default: every /api/v1 route needs a signed-in user unless it says it is public, and
  // the role its `action` names; checked before the request is read, so 401/403 come before 400.
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request);
    request.user = token ? context.identity.userForToken(token) : null;
    const { public: isPublic, action } = request.routeOptions.config;
    const needsUser = request.url.startsWith('/api/v1/') && !isPublic;
    // A token the server does not know counts against its address; a known one never does.
    if (token && !request.user && (needsUser || action)) await authFailed(request, reply);
    if (needsUser) context.requireUser(request);
    if (action) context.requireAction(request, action);
  });

  await healthRoutes(app, context);
  await sessionRoutes(app, context);
  await auditRoutes(app, context);
  await fleetRoutes(app, context);
  await experimentRoutes(app, context);
  await haltAllRoutes(app, context);
  await streamRoutes(app, context);
  const flags = await flagModule(app, context, flagChaos);
  const rollouts = await rolloutModule(app, context, flags);
  await prometheusRoutes(app, context, () => [
    ...agentHub.expositionLines(),
    ...canaryWeightLines(rollouts.canaryWeights()),
  ]);
  if (options.sampleData ?? true) seedSampleRollouts(context, rollouts.runner);
  await progressiveDelivery(app, context, flags, rollouts.flagDefect);
  if (dashboardDir) await dashboardRoutes(app, dashboardDir);
  await auditExportRoutes(app, context);
  await gamedayRoutes(app, context);
  await statusRoutes(app, context);
  await notificationModule(app, context, options.notifications);
  const agents = await agentModule(app, context, agentHub, (id) =>
    embedded.inventory.fleet().instances.some((instance) => instance.id === id),
  );
  // Recovery publishes "interrupted" events: it runs once every module listens (game-day
  // timelines, status), or a crash would leave no trace on them.
  engine.recover();
  await skippedRecordRoutes(app, context);
  // Read every stored record once, so one that cannot be read is logged at start-up.
  skippedRecordsOf(db).scan();

  const stopTicking =
    options.ticking === false
      ? () => {}
      : clock.every(config.tickMs, () => {
          const failed = (error: unknown) => app.log.error({ err: error }, 'a tick failed');
          try {
            const report = engine.tick();
            if (report instanceof Promise) report.catch(failed);
          } catch (error) {
            failed(error);
          }
        });
  app.addHook('onClose', async () => {
    stopTicking();
    if (db.open) engine.interruptAll('the server was shut down while the experiment was running');
    db.close();
  });

  await app.ready();
  return { app, context, clock, engine, simulation, agents, backend, rollouts: rollouts.runner };
}

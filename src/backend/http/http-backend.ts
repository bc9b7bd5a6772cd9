import type { Backend } from '../backend';
import type { AgentsCapability } from '../capabilities/agents';
import type { AuditCapability } from '../capabilities/audit';
import type { FlagsCapability } from '../capabilities/flags';
import type { GamedaysCapability } from '../capabilities/gamedays';
import type { NotificationsCapability } from '../capabilities/notifications';
import type { RolloutsCapability } from '../capabilities/rollouts';
import type { StatusCapability } from '../capabilities/status';
import { BackendError } from '../errors';
import { createHttpClient, type HttpBackendOptions } from './client';
import { experimentsHttp } from './experiments';
import { fleetHttp } from './fleet';
import { identityHttp } from './identity';
import { streamHttp } from './stream';

export type { FetchFunction, HttpBackendOptions } from './client';

type AsyncMethods<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * A capability whose code (schemas included) loads after the page has drawn (when the
 * browser is idle, or on its first call if that comes sooner): it is not part of any
 * page's first load. `methods` names every method: the type makes the
 * compiler insist on the full list. Every method of a lazy part returns a promise.
 */
function lazyPart<T extends AsyncMethods<T>>(
  load: () => Promise<T>,
  methods: Record<keyof T, true>,
): T {
  let loading: Promise<T> | null = null;
  const ensure = () =>
    (loading ??= load().catch((error: unknown) => {
      loading = null;
      throw new BackendError(
        'unavailable',
        `could not load the dashboard's code: ${String(error)}`,
        {
          code: 'network_error',
        },
      );
    }));
  // Once the page is idle, fetch the code anyway: the first call then finds it ready.
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(() => void ensure().catch(() => {}));
  const part: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(methods)) {
    part[name] = async (...args) => {
      const loaded = (await ensure()) as unknown as Record<
        string,
        (...a: unknown[]) => Promise<unknown>
      >;
      const method = loaded[name];
      if (!method) throw new Error(`no method ${name}`);
      return method(...args);
    };
  }
  return part as unknown as T;
}

/** The Backend over the mock server's HTTP API (docs/api.md): it has every capability. */
export function createHttpBackend(options: HttpBackendOptions): Backend {
  const client = createHttpClient(options);
  return {
    // What every signed-in page needs, loaded with the app.
    identity: identityHttp(client),
    fleet: fleetHttp(client),
    experiments: experimentsHttp(client),
    live: streamHttp(client),
    // The rest loads when a page first asks for it.
    gamedays: lazyPart<GamedaysCapability>(
      () => import('./gamedays').then((m) => m.gamedaysHttp(client)),
      {
        listGamedays: true,
        getGameday: true,
        createGameday: true,
        updateGameday: true,
        deleteGameday: true,
        tickRunbookStep: true,
        addGamedayNote: true,
        gamedayTimeline: true,
        writeFindings: true,
        gamedayReport: true,
      },
    ),
    status: lazyPart<StatusCapability>(() => import('./status').then((m) => m.statusHttp(client)), {
      status: true,
      statusSettings: true,
      updateStatusSettings: true,
      listIncidents: true,
      addIncidentUpdate: true,
      resolveIncident: true,
    }),
    audit: lazyPart<AuditCapability>(() => import('./audit').then((m) => m.auditHttp(client)), {
      auditLog: true,
      exportAuditCsv: true,
    }),
    flags: lazyPart<FlagsCapability>(() => import('./flags').then((m) => m.flagsHttp(client)), {
      listFlags: true,
      getFlag: true,
      createFlag: true,
      updateFlag: true,
      deleteFlag: true,
      killFlag: true,
      enableFlag: true,
      flagHistory: true,
      listSegments: true,
      createSegment: true,
      updateSegment: true,
      deleteSegment: true,
      exportFlags: true,
      importFlags: true,
      flagCohort: true,
      ofrepKeys: true,
      rotateOfrepKey: true,
    }),
    agents: lazyPart<AgentsCapability>(() => import('./agents').then((m) => m.agentsHttp(client)), {
      listAgents: true,
      listAgentTokens: true,
      createAgentToken: true,
      revokeAgentToken: true,
    }),
    notifications: lazyPart<NotificationsCapability>(
      () => import('./notifications').then((m) => m.notificationsHttp(client)),
      {
        listWebhooks: true,
        createWebhook: true,
        updateWebhook: true,
        deleteWebhook: true,
        webhookDeliveries: true,
        sendTestWebhook: true,
      },
    ),
    rollouts: lazyPart<RolloutsCapability>(
      () => import('./rollouts').then((m) => m.rolloutsHttp(client)),
      { listRollouts: true, getRollout: true, createRollout: true, controlRollout: true },
    ),
  };
}

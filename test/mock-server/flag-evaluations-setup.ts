import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { startPrometheus, type RunningPrometheus } from './real-prometheus';

export interface FlagEvaluationsSetup {
  prometheus: RunningPrometheus;
  /** Faultline reading staging from that Prometheus, not ticking, without sample data. */
  faultline: FaultlineApp;
  /** A fresh viewer's bearer token. */
  viewerToken(): Promise<string>;
  /** Ends the counting, Prometheus, the exporter and Faultline. */
  stop(): Promise<void>;
}

/**
 * A real Prometheus scraping an OpenFeature hook's counter as checkout's shop-1 exports it:
 * every second 10 evaluations of new-checkout answered `on` (TARGETING_MATCH) and 30 served the
 * fallback (ERROR). Faultline reads staging from it.
 */
export async function startFlagEvaluationsSetup(): Promise<FlagEvaluationsSetup> {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'checkout', environment: 'staging', instance: 'shop-1' });
  const evaluations = new Counter({
    name: 'feature_flag_evaluations_total',
    help: 'OpenFeature flag evaluations, by flag, variant and reason',
    labelNames: ['flag', 'variant', 'reason'] as const,
    registers: [registry],
  });
  const counting = setInterval(() => {
    evaluations.inc({ flag: 'new-checkout', variant: 'on', reason: 'TARGETING_MATCH' }, 1);
    evaluations.inc({ flag: 'new-checkout', variant: 'fallback', reason: 'ERROR' }, 3);
  }, 100);
  const exporter = http.createServer((_request, response) => {
    void registry.metrics().then((text) => response.end(text));
  });
  let prometheus: RunningPrometheus | undefined;
  let faultline: FaultlineApp | undefined;
  const stop = async () => {
    clearInterval(counting);
    await faultline?.app.close();
    await prometheus?.stop();
    await new Promise((resolve) => exporter.close(resolve));
  };
  try {
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const port = (exporter.address() as AddressInfo).port;
    prometheus = await startPrometheus([{ targets: [`127.0.0.1:${port}`] }], {
      honorLabels: true,
    });
    const app = await buildApp({
      database: ':memory:',
      ticking: false,
      sampleData: false,
      config: {
        backends: parseBackendsConfig({
          environments: {
            staging: {
              metrics: { url: prometheus.url },
              fleet: { services: [{ name: 'checkout' }] },
            },
          },
        }),
      },
    });
    faultline = app;
    await prometheus.ready();
    return {
      prometheus,
      faultline: app,
      async viewerToken() {
        const session = await app.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { user: 'vic-viewer' },
        });
        return (session.json() as { token: string }).token;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import {
  DEFAULT_COSTS,
  checkoutRequestSchema,
  classicCheckout,
  newCheckout,
  type CheckoutOutcome,
  type PricingCosts,
} from './checkout';
import { NEW_CHECKOUT_FLAG, contextOf, evaluationCounter, flagClient } from './flags';
import {
  NEW_CHECKOUT_LABEL,
  shopMetrics,
  type ShopIdentity,
  type ShopMetrics,
  type ShopVersion,
} from './metrics';

/** How the app tells the edge which variant of new-checkout it served. */
const VARIANT_HEADER = 'x-new-checkout-variant';

export interface ShopOptions extends Omit<ShopIdentity, 'version'> {
  /**
   * The build (default `stable`). The `canary` build is the next version, whose checkout is the
   * new path for everyone, defects included: what a canary rollout should catch and roll back.
   */
  version?: ShopVersion;
  /** Where users' requests arrive and are counted (0: any free port). */
  port: number;
  /** The checkout application itself (0: any free port). */
  appPort: number;
  /**
   * Where the edge forwards requests: the app port, or a Faultline agent's fault proxy in
   * front of it (so injected errors and delays reach users and the metrics).
   */
  upstreamPort?: number;
  faultlineUrl: string;
  /** The environment's OFREP API key. */
  flagsKey: string;
  /** What the shop uses when it cannot read the flag. */
  fallbackNewCheckout: boolean;
  /** An evaluation taking longer than this uses the fallback value, in ms. */
  flagTimeoutMs: number;
  costs?: PricingCosts;
  host?: string;
}

export interface RunningShop {
  port: number;
  appPort: number;
  metrics: ShopMetrics;
  close(): Promise<void>;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage, limitBytes = 64 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new Error(`the body is larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One instance of the sample "checkout" service: two listeners in one process.
 *
 * - The **edge** (`port`) is where users' requests arrive, as a load balancer or a sidecar
 *   would see them: it counts and times every answer (`http_requests_total`,
 *   `http_request_duration_seconds`), serves `/metrics` and `/healthz`, and forwards the rest
 *   to `upstreamPort`.
 * - The **app** (`appPort`) is the checkout itself: `POST /checkout` reads the `new-checkout`
 *   flag for the user through OpenFeature and takes the classic or the new path.
 *
 * A Faultline agent's fault proxy sits between the two when `upstreamPort` is its proxy port.
 */
export async function startShop(options: ShopOptions): Promise<RunningShop> {
  const host = options.host ?? '127.0.0.1';
  const costs = options.costs ?? DEFAULT_COSTS;
  const version = options.version ?? 'stable';
  const metrics = shopMetrics({ ...options, version });
  const flags = await flagClient({
    domain: `shop:${options.instance}`,
    faultlineUrl: options.faultlineUrl,
    apiKey: options.flagsKey,
    timeoutMs: options.flagTimeoutMs,
    hooks: [evaluationCounter(metrics.flagEvaluations)],
  });

  const app = http.createServer((req, res) => {
    void serveApp(req, res);
  });
  async function serveApp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/checkout') {
      json(res, 404, { error: 'no such route: POST /checkout is the only one' });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch (error) {
      json(res, 400, { error: `the body is not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = checkoutRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      json(res, 400, { error: `${issue?.path.join('.') || 'body'}: ${issue?.message}` });
      return;
    }
    const { user, cart } = parsed.data;
    let useNew = true;
    if (version !== 'canary') {
      const details = await flags.getBooleanDetails(
        NEW_CHECKOUT_FLAG,
        options.fallbackNewCheckout,
        contextOf(user),
      );
      useNew = details.value;
      // The edge labels the request with it (the same words as the evaluation counter).
      res.setHeader(
        VARIANT_HEADER,
        details.variant ?? (details.errorCode ? 'fallback' : String(details.value)),
      );
    }
    const outcome: CheckoutOutcome = useNew
      ? await newCheckout(cart, costs)
      : classicCheckout(cart, costs);
    json(res, outcome.status, outcome);
  }

  // A fresh connection per request: a kept-alive one the next hop closes while a request is on
  // its way would answer a 502 no fault caused.
  const proxy = createProxyServer({ agent: new http.Agent({ keepAlive: false }) });
  proxy.on('error', (_error, _req, res) => {
    // The app (or the fault proxy in front of it) is down, refused or cut the connection.
    if (res instanceof http.ServerResponse && !res.headersSent)
      json(res, 502, { error: 'upstream unavailable' });
    else if (res instanceof http.ServerResponse) res.destroy();
  });

  const edge = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
      return;
    }
    if (path === '/healthz') {
      json(res, 200, { ok: true, instance: options.instance });
      return;
    }
    const route = path === '/checkout' ? '/checkout' : 'other';
    const method = req.method ?? 'GET';
    const stop = metrics.duration.startTimer();
    res.once('close', () => {
      // A connection cut before an answer counts as what a client sees from a gateway: 502.
      const code = String(res.headersSent ? res.statusCode : 502);
      const variant = res.headersSent ? res.getHeader(VARIANT_HEADER) : undefined;
      const labels = {
        method,
        route,
        code,
        [NEW_CHECKOUT_LABEL]: typeof variant === 'string' ? variant.slice(0, 40) : '',
      };
      metrics.requests.inc(labels);
      stop(labels);
    });
    proxy.web(req, res, { target: `http://127.0.0.1:${upstream}` });
  });
  edge.keepAliveTimeout = 5_000;

  // Longer than any client's idle timeout, so the client (the fault proxy) closes first.
  app.keepAliveTimeout = 65_000;
  const appPort = await listen(app, options.appPort, host);
  const upstream = options.upstreamPort ?? appPort;
  const port = await listen(edge, options.port, host).catch(async (error: Error) => {
    await close(app);
    throw error;
  });

  return {
    port,
    appPort,
    metrics,
    async close() {
      await Promise.all([close(edge), close(app)]);
      proxy.close();
    },
  };
}

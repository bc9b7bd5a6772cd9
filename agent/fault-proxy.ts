import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';

/** What the proxy does to each request now. Shares are % of requests, latency in ms. */
export interface ProxyFaults {
  latencyMs: number;
  errorPercent: number;
  errorStatus: number;
  dropPercent: number;
}

export const NO_FAULTS: ProxyFaults = {
  latencyMs: 0,
  errorPercent: 0,
  errorStatus: 500,
  dropPercent: 0,
};

/** What the proxy has done since it started, so an agent can report what a fault did. */
export interface ProxyCounts {
  forwarded: number;
  delayed: number;
  errored: number;
  dropped: number;
}

/**
 * A fault proxy in front of one HTTP instance: traffic sent to its port is forwarded to the
 * instance (http-proxy-3 does the proxying), unless a fault says otherwise. Each request
 * draws its own chance, so a 5 % error share means 5 % of requests, not 5 % of the time.
 */
export class FaultProxy {
  private faults: ProxyFaults = { ...NO_FAULTS };
  readonly counts: ProxyCounts = { forwarded: 0, delayed: 0, errored: 0, dropped: 0 };
  private readonly proxy = createProxyServer({ xfwd: true });
  private readonly server: http.Server;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(
    private readonly upstreamPort: number,
    private readonly random: () => number = Math.random,
  ) {
    this.proxy.on('error', (_error, _req, res) => {
      // The instance is down or refused: answer as a gateway would.
      if (res instanceof http.ServerResponse && !res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'upstream unavailable' }));
      }
    });
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Replaces every fault at once; requests already waiting out a delay keep theirs. */
  set(faults: ProxyFaults): void {
    this.faults = { ...faults };
  }

  get current(): ProxyFaults {
    return { ...this.faults };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { latencyMs, errorPercent, errorStatus, dropPercent } = this.faults;
    if (dropPercent > 0 && this.random() * 100 < dropPercent) {
      this.counts.dropped += 1;
      req.socket.destroy();
      return;
    }
    if (errorPercent > 0 && this.random() * 100 < errorPercent) {
      this.counts.errored += 1;
      res.writeHead(errorStatus, {
        'content-type': 'application/json',
        ...(errorStatus === 429 ? { 'retry-after': '1' } : {}),
      });
      res.end(JSON.stringify({ error: 'injected by the Faultline agent' }));
      return;
    }
    const forward = () => {
      this.counts.forwarded += 1;
      this.proxy.web(req, res, { target: `http://127.0.0.1:${this.upstreamPort}` });
    };
    if (latencyMs <= 0) {
      forward();
      return;
    }
    this.counts.delayed += 1;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      forward();
    }, latencyMs);
    this.pending.add(timer);
    req.socket.once('close', () => {
      clearTimeout(timer);
      this.pending.delete(timer);
    });
  }

  async close(): Promise<void> {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.proxy.close();
  }
}

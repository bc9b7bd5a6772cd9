import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A real Prometheus (Debian's package) on a free loopback port with its own data folder.
// Without the binary a local run says so and skips; under CI a missing binary is a failure.
const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';
export const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';

export function prometheusInstalled(what: string): boolean {
  const installed =
    spawnSync(PROMETHEUS, ['--version']).status === 0 &&
    spawnSync(PROMTOOL, ['--version']).status === 0;
  if (!installed) {
    if (process.env.CI === 'true')
      throw new Error(
        `Prometheus is required under CI: apt-get install -y prometheus (looked for ${PROMETHEUS})`,
      );
    console.warn(
      `\n*** SKIPPED ${what}: no ${PROMETHEUS}. Install it with: apt-get install -y prometheus ***\n`,
    );
  }
  return installed;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs `start` again (at most `attempts` times in all) when it failed because a port `freePort`
 * found was taken before it was listened on: the port is free when probed, and any process
 * (another test's listener, an outgoing connection's source port) may take it in between.
 * `start` must end what it started before it throws.
 */
export async function startingAgainIfPortTaken<T>(
  start: () => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE')
        throw error;
    }
  }
}

export interface RunningPrometheus {
  url: string;
  /** Until Prometheus answers queries (at most 30 s); it may still have scraped nothing. */
  ready(): Promise<void>;
  /** Ends the process it started (by its handle) and removes its data folder. */
  stop(): Promise<void>;
}

/** Targets (host:port) scraped together, with labels added to every series they expose. */
interface ScrapeGroup {
  targets: string[];
  labels?: Record<string, string>;
}

/**
 * Starts Prometheus scraping `target` (host:port), or groups of targets, every second.
 * `honorLabels`: keep the labels the targets put on their series (instance, service, …).
 */
export async function startPrometheus(
  target: string | ScrapeGroup[],
  options: { honorLabels?: boolean } = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-prometheus-'));
  const port = await freePort();
  const groups = typeof target === 'string' ? [{ targets: [target] }] : target;
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    JSON.stringify({
      global: { scrape_interval: '1s' },
      scrape_configs: [
        {
          job_name: 'faultline',
          honor_labels: options.honorLabels ?? false,
          static_configs: groups,
        },
      ],
    }),
  );
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async ready() {
      for (let attempt = 0; attempt < 120; attempt++) {
        const ok = await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (child.exitCode !== null) throw new Error(`Prometheus exited with ${child.exitCode}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`Prometheus at ${url} is not ready after 30 s`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

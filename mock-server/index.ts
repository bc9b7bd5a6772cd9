import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from './config';
import { dashboardBuildReason } from './dashboard-build';
import { DEMO_USERS } from './identity';
import { configOrExit, databaseFileOf, listeningOrExit } from './start-up';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dashboardDir = path.join(projectRoot, 'dist');

/**
 * Builds the dashboard with Vite when dist/ has none or is older than its sources (with
 * --build-if-stale); an API-only start when there is none and it cannot be built.
 */
async function ensureDashboard(config: ServerConfig): Promise<string | undefined> {
  const built = existsSync(path.join(dashboardDir, 'index.html'));
  if (!config.buildIfStale) {
    if (built) return dashboardDir;
    console.log(
      'No dashboard in dist/: serving the API only (npm run build, or start with --build-if-stale).',
    );
    return undefined;
  }
  const reason = dashboardBuildReason(projectRoot);
  if (!reason) return dashboardDir;
  console.log(`Building the dashboard (${reason})…`);
  try {
    const { build } = await import('vite');
    await build({ root: projectRoot, logLevel: 'warn' });
    return dashboardDir;
  } catch (error) {
    if (built) {
      console.error(
        `Could not build the dashboard: ${(error as Error).message}\n` +
          'Serving the build dist/ already has, which may be out of date.',
      );
      return dashboardDir;
    }
    console.error(
      `Could not build the dashboard: ${(error as Error).message}\nServing the API only.`,
    );
    return undefined;
  }
}

function signInHelp(config: ServerConfig, url: string): string {
  if (config.users) return `Sign in with a token from ${config.users.length} configured user(s).`;
  const users = DEMO_USERS.map((u) => `  ${u.name.padEnd(11)} ${u.role}`).join('\n');
  return [
    'Demo mode (no FAULTLINE_USERS): bound to loopback only. Sign in as one of:',
    users,
    `In the dashboard pick a user; from a shell:`,
    `  curl -s -X POST ${url}/api/v1/session -H 'content-type: application/json' -d '{"user":"sam-sre"}'`,
    `then send "Authorization: Bearer <token>".`,
  ].join('\n');
}

async function main(): Promise<void> {
  const config = configOrExit();
  const dashboard = await ensureDashboard(config);
  const { faultline, address } = await listeningOrExit(config, dashboard);
  const { app } = faultline;
  const url = address.replace('[::1]', 'localhost');
  console.log(`Faultline is running at ${url}${dashboard ? '' : ' (API only)'}`);
  console.log(`Data: ${databaseFileOf(config)}`);
  console.log(signInHelp(config, url));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();

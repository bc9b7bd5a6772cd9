import path from 'node:path';
import { buildApp, DATABASE_FILE, type FaultlineApp } from './app';
import { ConfigError, loadConfig, type ServerConfig } from './config';

/**
 * What `npm start` and `npm run dev` share to bring the server up. A start-up that cannot go on
 * ends with one line that says why and what to do (no stack trace): exit 2 for bad
 * configuration, 1 for anything else.
 */
function fail(message: string, code = 1): never {
  console.error(`faultline: ${message}`);
  process.exit(code);
}

/** The configuration from the environment and the command line, with its notices printed. */
export function configOrExit(): ServerConfig {
  try {
    const config = loadConfig();
    for (const notice of config.notices) console.log(notice);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

export const databaseFileOf = (config: ServerConfig) => path.join(config.dataDir, DATABASE_FILE);

/** The app on its SQLite file, listening on the configured host and port; answers its address. */
export async function listeningOrExit(
  config: ServerConfig,
  dashboardDir?: string,
): Promise<{ faultline: FaultlineApp; address: string }> {
  const faultline = await buildApp({ config, dashboardDir }).catch((error: unknown) =>
    fail(
      `cannot open the database ${databaseFileOf(config)}: ${(error as Error).message}. Set FAULTLINE_DATA to a folder you can write to.`,
    ),
  );
  const address = await faultline.app
    .listen({ port: config.port, host: config.host })
    .catch(async (error: NodeJS.ErrnoException) => {
      await faultline.app.close();
      if (error.code === 'EADDRINUSE') {
        return fail(
          `port ${config.port} on ${config.host} is already in use (another Faultline?). ` +
            `Stop it, or start on another port: PORT=${config.port + 1} npm start`,
        );
      }
      if (error.code === 'EACCES')
        return fail(
          `port ${config.port} on ${config.host} needs privileges this user lacks: pick a port above 1023 (PORT=4400)`,
        );
      return fail(`cannot listen on ${config.host}:${config.port}: ${error.message}`);
    });
  return { faultline, address };
}

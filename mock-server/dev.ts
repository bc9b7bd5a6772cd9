import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Development: the API server on its port and Vite's dev server (it proxies /api to the API). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`faultline: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  for (const notice of config.notices) console.log(notice);
  const { app } = await buildApp({ config });
  const api = await app.listen({ port: config.port, host: config.host });
  // vite.config.ts proxies to the default port; point it at the port the API really took.
  const target = `http://127.0.0.1:${new URL(api).port}`;
  const proxy = Object.fromEntries(['/api', '/ofrep', '/healthz', '/metrics'].map((prefix) => [prefix, target]));
  const vite = await createServer({ root: projectRoot, server: { proxy } });
  await vite.listen();
  console.log(`API:       ${api}`);
  vite.printUrls();
  console.log('Sign in as ada-admin, sam-sre, dev-dana or vic-viewer (demo mode).');

  const stop = () => {
    Promise.all([vite.close(), app.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();

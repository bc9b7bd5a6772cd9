import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { configOrExit, listeningOrExit } from './start-up';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Development: the API server on its port and Vite's dev server (it proxies /api to the API). */
async function main(): Promise<void> {
  const config = configOrExit();
  const { faultline, address: api } = await listeningOrExit(config);
  const { app } = faultline;
  // vite.config.ts proxies to the default port; point it at the port the API really took.
  const target = `http://127.0.0.1:${new URL(api).port}`;
  const proxy = Object.fromEntries(
    ['/api', '/ofrep', '/healthz', '/metrics'].map((prefix) => [prefix, target]),
  );
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

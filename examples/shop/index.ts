import { ShopOptionsError, parseShopOptions } from './options';
import { startShop } from './shop';

/**
 * One instance of the sample checkout service:
 * `tsx examples/shop/index.ts --name shop-1 --port 7001 --app-port 7002` (OFREP key in
 * FAULTLINE_FLAGS_KEY). It stops on SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`shop: ${line}\n`);
  let options;
  try {
    options = parseShopOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ShopOptionsError)) throw error;
    process.stderr.write(`shop: the options are refused:\n${error.message}\n`);
    process.exit(2);
  }
  const shop = await startShop(options);
  log(
    `${options.instance} (${options.service}, ${options.environment}, ${options.version}) ` +
      `on 127.0.0.1:${shop.port}, app on ${shop.appPort}` +
      (options.upstreamPort ? `, through ${options.upstreamPort}` : ''),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void shop.close().finally(() => process.exit(0));
  };
  // `on`: a repeated signal while closing must not cut the close short.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();

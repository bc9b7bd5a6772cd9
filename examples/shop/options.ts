import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ShopOptions } from './shop';

const port = z.coerce.number().int().min(0).max(65_535);

const optionsSchema = z.object({
  instance: z
    .string({ error: '--name is the instance name, e.g. shop-1' })
    .regex(/^[a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes'),
  port,
  appPort: port,
  upstreamPort: port.min(1).optional(),
  service: z.string().min(1).max(100),
  environment: z.string().min(1).max(100),
  version: z.enum(['stable', 'canary'], { error: 'stable or canary' }),
  faultlineUrl: z.url({ error: '--faultline is the Faultline URL, e.g. http://127.0.0.1:4400' }),
  flagsKey: z
    .string({ error: 'give the OFREP key with --flags-key-file or FAULTLINE_FLAGS_KEY' })
    .min(1),
  fallbackNewCheckout: z.boolean(),
  flagTimeoutMs: z.coerce.number().int().min(10).max(10_000),
});

export class ShopOptionsError extends Error {}

/** The shop's command line (and FAULTLINE_FLAGS_KEY), parsed once, here. */
export function parseShopOptions(argv: string[], env: NodeJS.ProcessEnv): ShopOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        port: { type: 'string', default: '0' },
        'app-port': { type: 'string', default: '0' },
        'upstream-port': { type: 'string' },
        service: { type: 'string', default: 'checkout' },
        environment: { type: 'string', default: 'staging' },
        version: { type: 'string', default: 'stable' },
        faultline: { type: 'string', default: env.FAULTLINE_URL ?? 'http://127.0.0.1:4400' },
        'flags-key-file': { type: 'string' },
        fallback: { type: 'string', default: 'off' },
        'flag-timeout-ms': { type: 'string', default: '500' },
      },
    }));
  } catch (error) {
    throw new ShopOptionsError((error as Error).message);
  }
  const keyFile = values['flags-key-file'];
  const parsed = optionsSchema.safeParse({
    instance: values.name,
    port: values.port,
    appPort: values['app-port'],
    upstreamPort: values['upstream-port'],
    service: values.service,
    environment: values.environment,
    version: values.version,
    faultlineUrl: values.faultline,
    flagsKey: keyFile ? readFileSync(keyFile, 'utf8').trim() : env.FAULTLINE_FLAGS_KEY,
    fallbackNewCheckout: values.fallback === 'on',
    flagTimeoutMs: values['flag-timeout-ms'],
  });
  if (!parsed.success) {
    const names: Record<string, string> = {
      instance: '--name',
      appPort: '--app-port',
      upstreamPort: '--upstream-port',
      faultlineUrl: '--faultline',
      flagsKey: '--flags-key-file',
      flagTimeoutMs: '--flag-timeout-ms',
    };
    throw new ShopOptionsError(
      parsed.error.issues
        .map((issue) => {
          const field = String(issue.path[0] ?? '');
          return `${names[field] ?? `--${field}`}: ${issue.message}`;
        })
        .join('\n'),
    );
  }
  return parsed.data;
}

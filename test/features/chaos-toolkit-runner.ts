import { isDeepStrictEqual } from 'node:util';

/**
 * Runs a steady-state probe the way Chaos Toolkit (chaostoolkit-lib) does, for the parts our
 * exports use: configuration from the environment (`type: env`, with or without a default),
 * `${name}` substitution in the provider's URL and arguments (Python's string.Template, safe
 * form), the HTTP provider (a GET sends the arguments as query parameters, the body is parsed
 * as JSON only when the Content-Type is exactly application/json), and the `jsonpath`
 * tolerance (value[target], parsed if a string, every match compared with [expect]).
 */

type Json = Record<string, unknown>;

export function loadConfiguration(
  configuration: Json,
  env: Record<string, string | undefined>,
): Json {
  const loaded: Json = {};
  for (const [key, value] of Object.entries(configuration)) {
    if (value && typeof value === 'object' && (value as Json).type === 'env') {
      const entry = value as { key: string; default?: unknown };
      if (env[entry.key] === undefined && !('default' in entry))
        throw new Error(
          `configuration makes reference to an environment key that does not exist: ${entry.key}`,
        );
      loaded[key] = env[entry.key] ?? entry.default;
    } else loaded[key] = value;
  }
  return loaded;
}

// string.Template's pattern: $$, $name, ${name} (identifiers are ASCII, case-insensitive).
const TEMPLATE = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\})/gi;

function substituteString(text: string, mapping: Json): string {
  return text.replace(TEMPLATE, (match, escaped?: string, named?: string, braced?: string) => {
    if (escaped) return '$';
    const key = named ?? braced ?? '';
    return key in mapping ? String(mapping[key]) : match;
  });
}

function substitute(data: unknown, mapping: Json): unknown {
  if (typeof data === 'string') return substituteString(data, mapping);
  if (Array.isArray(data)) return data.map((item) => substitute(item, mapping));
  if (data && typeof data === 'object')
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, substitute(v, mapping)]));
  return data;
}

interface HttpProvider {
  type: 'http';
  url: string;
  method?: string;
  arguments?: Record<string, string>;
  timeout?: number;
}

interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

async function runHttpProvider(provider: HttpProvider, config: Json): Promise<HttpResult> {
  if (!provider.url) throw new Error('a HTTP activity must have a URL');
  const url = new URL(substituteString(provider.url, config));
  const method = (provider.method ?? 'GET').toUpperCase();
  if (method !== 'GET') throw new Error('only GET probes are exported');
  const args = substitute(provider.arguments ?? {}, config) as Record<string, string>;
  for (const [key, value] of Object.entries(args)) url.searchParams.append(key, value);
  const response = await fetch(url, {
    signal: AbortSignal.timeout((provider.timeout ?? 30) * 1000),
  });
  const headers = Object.fromEntries(response.headers.entries());
  const text = await response.text();
  const body =
    response.headers.get('content-type') === 'application/json' ? JSON.parse(text) : text;
  return { status: response.status, headers, body };
}

/** jsonpath2's matches for the paths our exports write: `$` then `.name` and `[index]` steps. */
function jsonPathMatches(path: string, value: unknown): unknown[] {
  const steps = path.trim().match(/^\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)$/);
  if (!steps) throw new Error(`the test runner does not read the JSON path ${path}`);
  let current: unknown = value;
  for (const [, name, index] of (steps[1] ?? '').matchAll(
    /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g,
  )) {
    if (name !== undefined) {
      if (!current || typeof current !== 'object' || Array.isArray(current) || !(name in current))
        return [];
      current = (current as Json)[name];
    } else {
      const i = Number(index);
      if (!Array.isArray(current) || i >= current.length) return [];
      current = current[i];
    }
  }
  return [current];
}

interface JsonPathTolerance {
  type: 'jsonpath';
  path: string;
  target?: string;
  expect?: unknown;
  count?: number;
}

function withinTolerance(tolerance: JsonPathTolerance, result: HttpResult, config: Json) {
  if (tolerance.type !== 'jsonpath') throw new Error(`unsupported tolerance ${tolerance.type}`);
  let value: unknown = result;
  if (tolerance.target) value = (result as unknown as Json)[tolerance.target] ?? result;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      // Kept as the string.
    }
  }
  const values = jsonPathMatches(substituteString(tolerance.path, config), value);
  let met = values.length > 0;
  if (tolerance.count !== undefined) met = values.length === tolerance.count;
  if ('expect' in tolerance) {
    const expect = substitute(tolerance.expect, config);
    met = isDeepStrictEqual(values, Array.isArray(expect) ? expect : [expect]);
  }
  return met;
}

export interface Probe {
  name: string;
  tolerance: JsonPathTolerance;
  provider: HttpProvider;
}

/** Whether the probe's tolerance is met now, as a steady-state check would decide it. */
export async function probeMet(probe: Probe, config: Json): Promise<boolean> {
  try {
    return withinTolerance(probe.tolerance, await runHttpProvider(probe.provider, config), config);
  } catch {
    // An activity that fails (cannot connect, times out) fails the steady state.
    return false;
  }
}

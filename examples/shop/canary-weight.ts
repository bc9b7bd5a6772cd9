/**
 * The gauge Faultline exports on its public /metrics for each canary a rollout sends traffic:
 * `faultline_canary_weight{service="checkout",environment="staging"} 0.25`, the share (0–1) of
 * the service's requests the canary should receive now. Absent: the canary gets none.
 */
const CANARY_WEIGHT_GAUGE = 'faultline_canary_weight';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

/**
 * One sample line of the Prometheus text format (`name{label="value",…} value [timestamp]`), or
 * null when it is not one (a comment, a blank line, a malformed line).
 */
function sampleLine(
  line: string,
): { name: string; labels: Map<string, string>; value: string } | null {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return null;
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text)?.[0];
  if (!name) return null;
  const labels = new Map<string, string>();
  let at = name.length;
  const skipBlanks = () => {
    while (text[at] === ' ' || text[at] === '\t') at++;
  };
  skipBlanks();
  if (text[at] === '{') {
    at++;
    for (;;) {
      skipBlanks();
      if (text[at] === '}') break;
      const label = LABEL_NAME.exec(text.slice(at))?.[0];
      if (!label) return null;
      at += label.length;
      skipBlanks();
      if (text[at] !== '=') return null;
      at++;
      skipBlanks();
      if (text[at] !== '"') return null;
      at++;
      let value = '';
      while (at < text.length && text[at] !== '"') {
        if (text[at] === '\\') {
          const escaped = ESCAPES[text[at + 1] ?? ''];
          if (escaped === undefined) return null;
          value += escaped;
          at += 2;
        } else value += text[at++];
      }
      if (text[at] !== '"') return null;
      at++;
      labels.set(label, value);
      skipBlanks();
      if (text[at] === ',') at++;
      else if (text[at] !== '}') return null;
    }
    at++;
  }
  // The value, then an optional timestamp.
  const [value] = text
    .slice(at)
    .trim()
    .split(/[ \t]+/);
  return value ? { name, labels, value } : null;
}

/** A sample's value as Prometheus reads it (Go's ParseFloat: `NaN`, `+Inf`, `-Inf`, `1e-3`). */
function sampleValue(text: string): number {
  if (/^[+]?Inf$/i.test(text)) return Infinity;
  if (/^-Inf$/i.test(text)) return -Infinity;
  return text.trim() === '' ? NaN : Number(text);
}

/**
 * The canary's share (0–1) of `service`'s requests in `environment` according to a Prometheus
 * text exposition, or null when it has no such `faultline_canary_weight` sample (or one that is
 * not a number). Other labels on the sample are allowed; a value outside 0–1 is clamped.
 */
export function canaryWeightIn(
  exposition: string,
  service: string,
  environment: string,
): number | null {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(CANARY_WEIGHT_GAUGE)) continue;
    const sample = sampleLine(line);
    if (
      sample?.name !== CANARY_WEIGHT_GAUGE ||
      sample.labels.get('service') !== service ||
      sample.labels.get('environment') !== environment
    )
      continue;
    const value = sampleValue(sample.value);
    return Number.isNaN(value) ? null : Math.min(1, Math.max(0, value));
  }
  return null;
}

/** Why a read failed, in a few words: "no answer in 900 ms", "ECONNREFUSED", "it answered 503". */
function whyUnread(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer in ${timeoutMs} ms`;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error.message;
}

export interface CanaryWeightSource {
  /** Faultline's base URL: its `/metrics` carries the gauge. */
  faultlineUrl: string;
  service: string;
  environment: string;
  /** How often to read it, in ms (default 1000). */
  pollMs?: number;
  /** A read not answered after this long fails, in ms (default 900: under one poll). */
  timeoutMs?: number;
  /** Says that Faultline cannot be read (once per outage), and when it can again. */
  warn?: (line: string) => void;
  /** Told each new weight, the first one included. */
  onChange?: (weight: number) => void;
}

export interface CanaryWeightWatch {
  /** The last weight read: 0 before any, or while no rollout sends the canary traffic. */
  current(): number;
  /** Ends the polling; resolves once its last read has ended. */
  stop(): Promise<void>;
}

/**
 * Reads the canary's weight from Faultline's `/metrics` now (awaited, so the first request
 * already follows it) and then every `pollMs` until `stop()`. When Faultline cannot be read, the
 * last weight known stays in force.
 */
export async function watchCanaryWeight(source: CanaryWeightSource): Promise<CanaryWeightWatch> {
  const pollMs = source.pollMs ?? 1_000;
  const timeoutMs = source.timeoutMs ?? 900;
  const warn = source.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const url = new URL('/metrics', source.faultlineUrl).href;
  let weight = 0;
  let known = false;
  let unreachable = false;
  let stopped = false;
  let wake: (() => void) | null = null;

  const read = async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      if (!response.ok) throw new Error(`it answered ${response.status}`);
      const next = canaryWeightIn(text, source.service, source.environment) ?? 0;
      if (unreachable) warn(`traffic: reading the canary weight from ${url} again`);
      unreachable = false;
      if (!known || next !== weight) source.onChange?.(next);
      weight = next;
      known = true;
    } catch (error) {
      if (unreachable) return;
      unreachable = true;
      const reason = whyUnread(error, timeoutMs);
      warn(
        `traffic: cannot read the canary weight from ${url} (${reason}); ` +
          `keeping the last one known, ${Math.round(weight * 1000) / 10} % to the canary`,
      );
    }
  };

  await read();
  // Ends when stop() is called; runTraffic calls it when its own bounded loop ends.
  const polling = (async () => {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      if (!stopped) await read();
    }
  })();

  return {
    current: () => weight,
    async stop() {
      stopped = true;
      wake?.();
      await polling;
    },
  };
}

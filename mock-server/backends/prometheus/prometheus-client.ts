import { z } from 'zod';

/**
 * The two calls of the Prometheus HTTP API we need (/api/v1/query and /api/v1/query_range),
 * sent as POST forms so that a query answering many groups at once is not bounded by a URL's
 * length. Every answer is parsed; every failure comes back as words, never thrown: "no data"
 * must stay distinguishable from a value all the way to the engine.
 */

const sampleValue = z.tuple([z.number(), z.string()]);
const vectorResult = z.array(
  z.object({ metric: z.record(z.string(), z.string()), value: sampleValue }),
);
const matrixResult = z.array(
  z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) }),
);
const answerSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('vector'), result: vectorResult }),
      z.object({ resultType: z.literal('scalar'), result: sampleValue }),
      z.object({ resultType: z.literal('matrix'), result: matrixResult }),
      z.object({ resultType: z.literal('string'), result: sampleValue }),
    ]),
    warnings: z.array(z.string()).optional(),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

/** One number at one time (epoch ms), or why there is none. */
export type InstantAnswer = { value: number; t: number } | { missing: string };
/**
 * Every series of an instant vector (value as Prometheus wrote it, time in epoch ms), or why
 * there is none; `refused` when Prometheus answered with an error (a bad query), not silence.
 */
export type VectorAnswer =
  | { series: { labels: Record<string, string>; value: string; t: number }[] }
  | { missing: string; refused?: true };
/** Points over a range (epoch ms), or why there are none. */
type RangeAnswer = { points: { t: number; value: number }[] } | { missing: string };
/**
 * Every series of a range query, each with its labels and its points (epoch ms; NaN and ±Inf
 * left out), or why there are none. No series is an answer, not a failure.
 */
export type MatrixAnswer =
  | { series: { labels: Record<string, string>; points: { t: number; value: number }[] }[] }
  | { missing: string };

/**
 * `deadline`: when the caller stops waiting (one evaluation's queries share one, so a slow
 * Prometheus costs one timeout per evaluation, not one per query); each query also has its own.
 */
export interface PrometheusClient {
  instant(query: string, at: number, deadline?: AbortSignal): Promise<InstantAnswer>;
  /** An instant query answering many series (many groups at once), each kept with its labels. */
  vector(query: string, at: number, deadline?: AbortSignal): Promise<VectorAnswer>;
  range(
    query: string,
    start: number,
    end: number,
    stepMs: number,
    deadline?: AbortSignal,
  ): Promise<RangeAnswer>;
  /** A range query answering many series (by flag, variant, …), each kept with its labels. */
  matrix(
    query: string,
    start: number,
    end: number,
    stepMs: number,
    deadline?: AbortSignal,
  ): Promise<MatrixAnswer>;
}

export function prometheusClient(options: {
  url: string;
  /** How long an instant query (an evaluation's) may take, in ms. */
  timeoutMs: number;
  /** How long a range query (a chart's history, a steady-state window) may take (default: timeoutMs). */
  rangeTimeoutMs?: number;
  fetch?: typeof fetch;
}): PrometheusClient {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');

  async function call(
    path: string,
    params: Record<string, string>,
    deadline: AbortSignal | undefined,
  ): Promise<z.infer<typeof answerSchema> | { failed: string }> {
    const timeoutMs =
      path === '/api/v1/query_range'
        ? (options.rangeTimeoutMs ?? options.timeoutMs)
        : options.timeoutMs;
    const late = `Prometheus did not answer within ${timeoutMs} ms`;
    if (deadline?.aborted) return { failed: late };
    // Our own timer gives up on the query even when the fetch misses its abort (a signal's link
    // into a request can be lost to garbage collection): no query outlives its timeout, so no
    // evaluation waits forever and every engine beat comes.
    const stop = new AbortController();
    const giveUp = () => stop.abort();
    const timer = setTimeout(giveUp, timeoutMs);
    deadline?.addEventListener('abort', giveUp, { once: true });
    const gaveUp = new Promise<{ failed: string }>((resolve) =>
      stop.signal.addEventListener('abort', () => resolve({ failed: late }), { once: true }),
    );
    try {
      return await Promise.race([exchange(path, params, stop.signal), gaveUp]);
    } finally {
      clearTimeout(timer);
      deadline?.removeEventListener('abort', giveUp);
    }
  }

  /**
   * One request and its parsed answer; a failure in words. An abort never reaches the caller
   * from here: `gaveUp` is told of it first and answers the race.
   */
  async function exchange(
    path: string,
    params: Record<string, string>,
    signal: AbortSignal,
  ): Promise<z.infer<typeof answerSchema> | { failed: string }> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal,
      });
    } catch (error) {
      return { failed: `Prometheus at ${base} cannot be reached (${causeOf(error)})` };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return { failed: `Prometheus answered HTTP ${response.status} without a JSON body` };
    }
    const parsed = answerSchema.safeParse(body);
    if (!parsed.success)
      return { failed: `Prometheus answered HTTP ${response.status} in an unexpected shape` };
    return parsed.data;
  }

  async function matrix(
    query: string,
    start: number,
    end: number,
    stepMs: number,
    deadline?: AbortSignal,
  ): Promise<MatrixAnswer> {
    const answer = await call(
      '/api/v1/query_range',
      {
        query,
        start: String(start / 1000),
        end: String(end / 1000),
        step: String(Math.max(0.1, stepMs / 1000)),
      },
      deadline,
    );
    if ('failed' in answer) return { missing: answer.failed };
    if (answer.status === 'error') return { missing: refusal(answer) };
    const data = answer.data;
    if (data.resultType !== 'matrix')
      return { missing: `the query answers a ${data.resultType}, not a series` };
    return {
      series: data.result.map(({ metric, values }) => ({
        labels: metric,
        points: values
          .map(([t, v]) => ({ t: Math.round(t * 1000), value: Number(v) }))
          .filter((p) => Number.isFinite(p.value)),
      })),
    };
  }

  return {
    async instant(query, at, deadline) {
      const answer = await call('/api/v1/query', { query, time: String(at / 1000) }, deadline);
      if ('failed' in answer) return { missing: answer.failed };
      if (answer.status === 'error') return { missing: refusal(answer) };
      const data = answer.data;
      let point: [number, string] | undefined;
      if (data.resultType === 'scalar') point = data.result;
      else if (data.resultType === 'vector') {
        if (data.result.length > 1)
          return { missing: `the query answers ${data.result.length} series, not one number` };
        point = data.result[0]?.value;
      } else return { missing: `the query answers a ${data.resultType}, not one number` };
      if (!point) return { missing: NO_SERIES };
      return numberOf(point[1], point[0]);
    },

    async vector(query, at, deadline) {
      const answer = await call('/api/v1/query', { query, time: String(at / 1000) }, deadline);
      if ('failed' in answer) return { missing: answer.failed };
      if (answer.status === 'error') return { missing: refusal(answer), refused: true };
      const data = answer.data;
      if (data.resultType !== 'vector')
        return { missing: `the query answers a ${data.resultType}, not a vector`, refused: true };
      return {
        series: data.result.map(({ metric, value }) => ({
          labels: metric,
          value: value[1],
          t: Math.round(value[0] * 1000),
        })),
      };
    },

    async range(query, start, end, stepMs, deadline) {
      const answer = await matrix(query, start, end, stepMs, deadline);
      if ('missing' in answer) return answer;
      if (answer.series.length === 0) return { missing: NO_SERIES };
      if (answer.series.length > 1)
        return { missing: `the query answers ${answer.series.length} series, not one` };
      return { points: answer.series[0]?.points ?? [] };
    },

    matrix,
  };
}

/** Why a group has no number: no series answered for it. */
export const NO_SERIES = 'no series: Prometheus has no data for it';

/** One sample's value as a number, or why it is none (NaN, ±Inf: never a healthy reading). */
export function numberOf(text: string, seconds: number): InstantAnswer {
  const value = Number(text);
  if (!Number.isFinite(value))
    return { missing: `Prometheus answered ${text} (no requests to divide by?)` };
  return { value, t: Math.round(seconds * 1000) };
}

function refusal(answer: { errorType: string; error: string }): string {
  return `Prometheus refused the query (${answer.errorType}: ${answer.error})`;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

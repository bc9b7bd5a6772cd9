import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ENVIRONMENTS, METRICS, environmentSchema, instanceKindSchema } from '../../src/domain';
import { templateProblem } from './prometheus/promql';

/**
 * The backends file (FAULTLINE_BACKENDS, YAML or JSON): per environment, where its metrics come
 * from and which instances it has. An environment left out stays on the embedded simulation.
 * docs/backends.md documents every field; keep the two in step, the file format is a contract.
 */
const templateSchema = z
  .string()
  .min(1, 'a PromQL template cannot be empty')
  .max(4000, 'a PromQL template is at most 4000 characters')
  .superRefine((template, ctx) => {
    const problem = templateProblem(template);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const durationSchema = z
  .string()
  .regex(/^[1-9]\d*(ms|s|m)$/, 'a Prometheus duration such as 5s or 1m');

const labelNameSchema = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name (letters, digits, _)');

const prometheusMetricsSchema = z.strictObject({
  kind: z.literal('prometheus').default('prometheus'),
  /** Base URL of the Prometheus HTTP API, e.g. http://127.0.0.1:9090 */
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as http://127.0.0.1:9090' }),
  /** How often conditions are evaluated (one instant query per metric and group), in ms. */
  evaluationIntervalMs: z.number().int().min(100).max(60_000).default(1000),
  /** How long one query may take before its series counts as missing, in ms. */
  queryTimeoutMs: z.number().int().min(50).max(60_000).default(800),
  /** How many evaluation intervals a run's conditions may go unread before `onMissing`. */
  graceEvaluations: z.number().int().min(1).max(1000).default(3),
  /** abort: the run ends with "no metrics" (fail safe); hold: it keeps running, with a warning. */
  onMissing: z.enum(['abort', 'hold']).default('abort'),
  /** The label naming an instance in Prometheus (the scrape target's `instance`). */
  instanceLabel: labelNameSchema.default('instance'),
  /** The window of rate() in the templates ({{range}}): at least two scrapes. */
  range: durationSchema.default('5s'),
  /** What 100 % memory is, per instance, in bytes ({{memory_limit_bytes}}). */
  memoryLimitBytes: z
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  /** PromQL per metric, replacing the default template for the conventional metric names. */
  queries: z.partialRecord(z.enum(METRICS), templateSchema).default({}),
});
export type PrometheusMetricsConfig = z.infer<typeof prometheusMetricsSchema>;

const configuredInstanceSchema = z.strictObject({
  id: z.string().min(1).max(200),
  service: z.string().min(1).max(100),
  kind: instanceKindSchema.default('host'),
  /** The host a container runs on (default: its own id). */
  hostId: z.string().min(1).max(200).optional(),
  /** The value of the instance label in Prometheus (default: the id). */
  metricsInstance: z.string().min(1).max(200).optional(),
  labels: z.record(z.string().min(1).max(63), z.string().max(200)).default({}),
});

const fleetSchema = z.strictObject({
  services: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100),
        description: z.string().max(500).default(''),
      }),
    )
    .min(1, 'list at least one service'),
  /** Agents add their own targets; an environment served only by agents lists none here. */
  instances: z.array(configuredInstanceSchema).default([]),
});

const environmentBackendSchema = z
  .strictObject({ metrics: prometheusMetricsSchema, fleet: fleetSchema })
  .superRefine((value, ctx) => {
    const services = new Set<string>();
    for (const [index, service] of value.fleet.services.entries()) {
      if (services.has(service.name))
        ctx.addIssue({
          code: 'custom',
          path: ['fleet', 'services', index, 'name'],
          message: `"${service.name}" is listed twice`,
        });
      services.add(service.name);
    }
    const seen = new Set<string>();
    for (const [index, instance] of value.fleet.instances.entries()) {
      if (!services.has(instance.service))
        ctx.addIssue({
          code: 'custom',
          path: ['fleet', 'instances', index, 'service'],
          message: `"${instance.service}" is not one of fleet.services`,
        });
      if (seen.has(instance.id))
        ctx.addIssue({
          code: 'custom',
          path: ['fleet', 'instances', index, 'id'],
          message: `"${instance.id}" is listed twice`,
        });
      seen.add(instance.id);
    }
    if (
      value.metrics.queryTimeoutMs >
      value.metrics.evaluationIntervalMs * value.metrics.graceEvaluations
    )
      ctx.addIssue({
        code: 'custom',
        path: ['metrics', 'queryTimeoutMs'],
        message:
          'longer than the grace (evaluationIntervalMs × graceEvaluations): a slow Prometheus would outlast it unseen',
      });
  });
export type EnvironmentBackendConfig = z.infer<typeof environmentBackendSchema>;

const backendsConfigSchema = z.strictObject({
  environments: z
    .partialRecord(environmentSchema, environmentBackendSchema)
    .refine((e) => Object.keys(e).length > 0, `name at least one of ${ENVIRONMENTS.join(', ')}`),
});
export type BackendsConfig = z.infer<typeof backendsConfigSchema>;

/** A backends file that cannot be used; the message names the field at fault. */
export class BackendsConfigError extends Error {
  override name = 'BackendsConfigError';
}

/** Reads and checks the backends file; throws a BackendsConfigError naming the field at fault. */
export function readBackendsConfig(file: string): BackendsConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BackendsConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new BackendsConfigError(`${file} is not YAML or JSON: ${(error as Error).message}`);
  }
  return parseBackendsConfig(raw);
}

/** Checks a parsed backends file; every problem is named by its field path, at most five. */
export function parseBackendsConfig(raw: unknown): BackendsConfig {
  const parsed = backendsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => {
      // An unknown key is named in the path, like any other field at fault.
      const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const path = unknown === undefined ? issue.path : [...issue.path, unknown];
      const where = path.length ? path.join('.') : '(the file)';
      const message =
        unknown === undefined
          ? issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
            ? 'required'
            : issue.message
          : issue.path.at(-1) === 'environments'
            ? `not an environment: use ${ENVIRONMENTS.join(', ')}`
            : issue.path.at(-1) === 'queries'
              ? `not a metric: use ${METRICS.join(', ')}`
              : 'not a field of the backends file (see docs/backends.md)';
      return `${where}: ${message}`;
    });
    throw new BackendsConfigError(problems.join('; '));
  }
  return parsed.data;
}

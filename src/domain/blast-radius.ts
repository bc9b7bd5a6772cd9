import { z } from 'zod';
import type { Instance } from './fleet';

const BLAST_RADIUS_MODES = ['all', 'count', 'percent'] as const;
const BLAST_RADIUS_SCOPES = ['hosts', 'containers'] as const;

/** A Kubernetes label key: an optional DNS-subdomain prefix and "/", then a name (app.kubernetes.io/name). */
const LABEL_NAME = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/i;
const LABEL_PREFIX = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? null : key.slice(0, slash);
  return (
    LABEL_NAME.test(name) &&
    (prefix === null || (prefix.length <= 253 && LABEL_PREFIX.test(prefix)))
  );
}
/** Most labels one selector may require. */
const MAX_SELECTOR_LABELS = 20;

const labelKey = z
  .string()
  .max(317, 'a label name is at most 317 characters (253 of prefix, "/", 63 of name)')
  .refine(
    isLabelKey,
    'a label name is letters, digits, ".", "_" or "-" (at most 63), after an optional prefix such as app.kubernetes.io/',
  );

/**
 * Where the blast radius comes from: chosen here by selector, or inherited from
 * progressive delivery (the instances serving a flag's on-cohort, or a service's canary).
 */
const blastRadiusSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('selector') }),
  z.object({
    kind: z.literal('flag'),
    flagKey: z.string().min(1, 'choose a flag').max(100, 'a flag key is at most 100 characters'),
  }),
  z.object({ kind: z.literal('canary') }),
]);
export type BlastRadiusSource = z.infer<typeof blastRadiusSourceSchema>;

export const blastRadiusSchema = z
  .object({
    scope: z.enum(BLAST_RADIUS_SCOPES),
    /** Every label listed must match (AND); an empty selector matches every instance. */
    selector: z
      .record(labelKey, z.string().max(256, 'a label value is at most 256 characters'))
      .refine(
        (selector) => Object.keys(selector).length <= MAX_SELECTOR_LABELS,
        `at most ${MAX_SELECTOR_LABELS} labels`,
      ),
    mode: z.enum(BLAST_RADIUS_MODES),
    /** count: number of instances; percent: 0–100 of the matching instances; unused for all. */
    value: z.number().optional(),
    source: blastRadiusSourceSchema.default({ kind: 'selector' }),
  })
  .superRefine((radius, ctx) => {
    if (radius.mode === 'all') return;
    const value = radius.value;
    if (value === undefined || Number.isNaN(value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `a ${radius.mode} needs a value` });
      return;
    }
    if (radius.mode === 'count' && (!Number.isInteger(value) || value < 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'count must be a whole number of at least 1',
      });
    }
    if (radius.mode === 'percent' && (value <= 0 || value > 100)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'percent must be above 0 and at most 100',
      });
    }
  });
export type BlastRadius = z.infer<typeof blastRadiusSchema>;

function matchesSelector(instance: Instance, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => instance.labels[key] === value);
}

/**
 * How many of `matching` instances a blast radius selects.
 * The rounding rule: a percentage rounds up (ceil), and selects at least 1 when it is above 0;
 * a count never selects more than there are.
 */
export function blastRadiusSize(
  radius: Pick<BlastRadius, 'mode' | 'value'>,
  matching: number,
): number {
  if (matching <= 0) return 0;
  const value = radius.value ?? 0;
  switch (radius.mode) {
    case 'all':
      return matching;
    case 'count':
      return Math.min(Math.max(0, Math.floor(value)), matching);
    case 'percent': {
      if (value <= 0) return 0;
      // Round away floating-point dust first (14.000000000000002 must not become 15).
      const exact = Math.round(((value * matching) / 100) * 1e9) / 1e9;
      return Math.min(matching, Math.max(1, Math.ceil(exact)));
    }
  }
}

export interface ResolvedBlastRadius {
  /** Instances of the scope that the selector (or the inherited source) matches. */
  matching: Instance[];
  /** The instances that will be hit: a prefix of `matching`, spread over zones. */
  selected: Instance[];
}

/**
 * Orders instances so that any prefix spreads across zones: round-robin over zones
 * (zones sorted by name), ids sorted within a zone. Deterministic, so the browser's
 * preview and the server's launch pick the same instances.
 */
export function spreadOverZones(instances: readonly Instance[]): Instance[] {
  const byZone = new Map<string, Instance[]>();
  for (const instance of [...instances].sort((a, b) => a.id.localeCompare(b.id))) {
    const zone = instance.labels.zone ?? '';
    const list = byZone.get(zone) ?? [];
    list.push(instance);
    byZone.set(zone, list);
  }
  const zones = [...byZone.keys()].sort().map((zone) => byZone.get(zone) ?? []);
  const ordered: Instance[] = [];
  for (let round = 0; ordered.length < instances.length; round++) {
    for (const zone of zones) {
      const next = zone[round];
      if (next) ordered.push(next);
    }
  }
  return ordered;
}

/**
 * Resolves a blast radius over the instances of one service in one environment.
 * `eligible`, when given, narrows the candidates first (an inherited source: the hosts
 * serving a flag's cohort, or the canary's instances).
 */
export function resolveBlastRadius(
  radius: BlastRadius,
  serviceInstances: readonly Instance[],
  eligible?: (instance: Instance) => boolean,
): ResolvedBlastRadius {
  const kind = radius.scope === 'hosts' ? 'host' : 'container';
  const matching = spreadOverZones(
    serviceInstances.filter(
      (i) =>
        i.kind === kind && matchesSelector(i, radius.selector) && (eligible ? eligible(i) : true),
    ),
  );
  return { matching, selected: matching.slice(0, blastRadiusSize(radius, matching.length)) };
}

/** The instances (hosts and containers) an attack on `targets` affects: a host takes its containers along. */
export function affectedInstanceIds(
  targets: readonly Instance[],
  serviceInstances: readonly Instance[],
): Set<string> {
  const ids = new Set(targets.map((t) => t.id));
  const hosts = new Set(targets.filter((t) => t.kind === 'host').map((t) => t.id));
  for (const instance of serviceInstances) {
    if (instance.kind === 'container' && hosts.has(instance.hostId)) ids.add(instance.id);
  }
  return ids;
}

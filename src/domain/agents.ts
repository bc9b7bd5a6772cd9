import { z } from 'zod';
import { environmentSchema } from './environments';

/**
 * The Faultline agent: one process per host that puts real faults on local processes. Its
 * configuration and the faults it applies are described here, once, for the agent and the
 * server alike.
 */

/** Instance names are DNS-label-like so they read the same in the fleet, PromQL and logs. */
const instanceNameSchema = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'an instance name is 1–63 lower-case letters, digits and dashes',
  );

const portSchema = z
  .number({ error: 'a port is a number' })
  .int('a port is a whole number')
  .min(1, 'a port is 1–65535')
  .max(65_535, 'a port is 1–65535');

const labelsSchema = z
  .record(
    z.string().min(1).max(63, 'a label key is at most 63 characters'),
    z.string().max(63, 'a label value is at most 63 characters'),
  )
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels')
  .default({});

/** The process behind an instance: one the agent starts itself, or one already running. */
const agentProcessSchema = z.union([
  z.object({
    pid: z.number({ error: 'pid is a number' }).int().positive('pid is a positive number'),
  }),
  z.object({
    command: z
      .array(z.string().min(1).max(4096))
      .min(1, 'command names the program to run')
      .max(64, 'a command has at most 64 parts'),
    cwd: z.string().max(4096).optional(),
  }),
]);

const agentTargetSchema = z.object({
  name: instanceNameSchema,
  service: z.string().min(1, 'name the service').max(63),
  environment: environmentSchema,
  labels: labelsSchema,
  process: agentProcessSchema,
  /**
   * For HTTP faults (latency, errors, connection drops): the port the instance serves and the
   * port the agent's fault proxy listens on in front of it. Traffic that should feel the
   * faults is sent to the proxy port.
   */
  http: z.object({ port: portSchema, proxyPort: portSchema }).optional(),
});
export type AgentTarget = z.infer<typeof agentTargetSchema>;

/** A target's name is its instance id in the fleet: one name, one target. */
function refuseRepeatedNames(targets: readonly { name: string }[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    const before = seen.get(target.name);
    if (before !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', index, 'name'],
        message: `"${target.name}" is already targets.${before}`,
      });
    }
    seen.set(target.name, index);
  });
}

export const agentConfigSchema = z
  .object({
    targets: z
      .array(agentTargetSchema)
      .min(1, 'list at least one target')
      .max(100, 'at most 100 targets'),
  })
  .superRefine((config, ctx) => {
    refuseRepeatedNames(config.targets, ctx);
    const ports = new Map<number, string>();
    config.targets.forEach((target, index) => {
      if (!target.http) return;
      for (const [key, port] of [
        ['port', target.http.port],
        ['proxyPort', target.http.proxyPort],
      ] as const) {
        const owner = ports.get(port);
        if (owner !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['targets', index, 'http', key],
            message: `port ${port} is already used by ${owner}`,
          });
        }
        ports.set(port, `targets.${index}.http.${key}`);
      }
    });
  });
export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** A fault as the agent applies it, with its magnitude in the fault's own unit. */
const agentFaultSchema = z.discriminatedUnion('type', [
  /** Load on the host's CPUs, % of each stress worker's core. */
  z.object({ type: z.literal('cpu'), percent: z.number().min(1).max(100) }),
  /** Memory held, % of the host's available memory. */
  z.object({ type: z.literal('memory'), percent: z.number().min(1).max(100) }),
  /** Added to every request through the fault proxy, in ms. */
  z.object({ type: z.literal('latency'), ms: z.number().int().min(1).max(60_000) }),
  /** Share of requests the proxy answers itself with this status instead of forwarding. */
  z.object({
    type: z.literal('error'),
    percent: z.number().min(0.01).max(100),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(429)]).default(500),
  }),
  /** Share of connections the proxy closes without an answer. */
  z.object({ type: z.literal('drop'), percent: z.number().min(0.01).max(100) }),
  /** The instance's process is stopped, and started again when the fault ends. */
  z.object({ type: z.literal('shutdown') }),
]);
export type AgentFault = z.infer<typeof agentFaultSchema>;
type AgentFaultType = AgentFault['type'];

/** Faults that need the instance's HTTP port (they act through the fault proxy). */
export const HTTP_FAULT_TYPES: ReadonlySet<AgentFaultType> = new Set(['latency', 'error', 'drop']);

/**
 * Why an attack cannot run on agent targets, or null when it can. Packet loss needs kernel
 * netem (`tc qdisc ... netem`), which agent hosts are not given: the agent refuses it rather
 * than pretend.
 */
export function agentRefusal(attackType: string): string | null {
  if (attackType === 'packet-loss') {
    return 'packet loss needs kernel netem, which agent hosts do not have; use added latency or connection drops instead';
  }
  return null;
}

/** What the agent actually did with one fault, as it reports it. */
const faultOutcomeSchema = z.enum(['applied', 'changed', 'removed', 'refused', 'failed']);

const faultReportSchema = z.object({
  faultId: z.string().min(1).max(128),
  target: instanceNameSchema,
  outcome: faultOutcomeSchema,
  /** In words: "stress-ng pid 4242, 1 worker at 60 %", or why it was refused. */
  detail: z.string().max(500),
});
export type FaultReport = z.infer<typeof faultReportSchema>;

/** A target as the agent announces it to the server (no command lines: they stay on the host). */
const announcedTargetSchema = agentTargetSchema
  .omit({ process: true, http: true })
  .extend({ pid: z.number().int().positive(), http: z.boolean() });
export type AnnouncedTarget = z.infer<typeof announcedTargetSchema>;

/** What an agent says when it connects. */
export const agentHelloSchema = z
  .object({
    host: z.string().min(1).max(253),
    version: z.string().max(40),
    targets: z.array(announcedTargetSchema).min(1).max(100),
    /** The faults it still holds from before (none after a restart of the agent itself). */
    holding: z.array(z.string().min(1).max(128)).max(1_000).default([]),
  })
  .superRefine((hello, ctx) => refuseRepeatedNames(hello.targets, ctx));
export type AgentHello = z.infer<typeof agentHelloSchema>;

/** What the server asks of an agent, one command per stream event. */
export const agentCommandSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('apply'),
    seq: z.number().int(),
    faultId: z.string().min(1).max(128),
    target: z.string(),
    fault: agentFaultSchema,
  }),
  z.object({
    op: z.literal('change'),
    seq: z.number().int(),
    faultId: z.string().min(1).max(128),
    fault: agentFaultSchema,
  }),
  z.object({ op: z.literal('remove'), seq: z.number().int(), faultId: z.string().min(1).max(128) }),
  /** Keep only these faults; remove every other one the agent holds. */
  z.object({ op: z.literal('reconcile'), seq: z.number().int(), keep: z.array(z.string()) }),
]);
export type AgentCommand = z.infer<typeof agentCommandSchema>;

export const agentReportsSchema = z.object({
  reports: z
    .array(faultReportSchema.extend({ seq: z.number().int() }))
    .min(1)
    .max(1_000),
});

/**
 * What an agent says every second besides its reports: that it is alive, and the CPU seconds its
 * stress-ng has used against each target so far (a counter that never goes down).
 */
export const agentHeartbeatSchema = z.object({
  stressCpuSeconds: z
    .record(instanceNameSchema, z.number().min(0))
    .refine((totals) => Object.keys(totals).length <= 100, 'at most 100 targets'),
});
export type AgentHeartbeat = z.infer<typeof agentHeartbeatSchema>;

/** An agent token as the API lists it: never the token itself, which is shown once. */
export const agentTokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
  revokedAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
});
export type AgentTokenView = z.infer<typeof agentTokenViewSchema>;

export const newAgentTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name the token after the host it is for')
    .max(80, 'a token name is at most 80 characters'),
});

export const agentViewSchema = z.object({
  id: z.string(),
  host: z.string(),
  tokenName: z.string(),
  online: z.boolean(),
  connectedAt: z.number(),
  lastSeenAt: z.number(),
  targets: z.array(announcedTargetSchema),
  faults: z.array(faultReportSchema),
});
export type AgentView = z.infer<typeof agentViewSchema>;

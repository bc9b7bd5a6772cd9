import { z } from 'zod';
import { environmentSchema } from './environments';

const INSTANCE_KINDS = ['host', 'container'] as const;
export const instanceKindSchema = z.enum(INSTANCE_KINDS);

/** A host or a container of one service in one environment. */
const instanceSchema = z.object({
  id: z.string(),
  kind: instanceKindSchema,
  service: z.string(),
  environment: environmentSchema,
  /** The host a container runs on; a host's own id for a host. */
  hostId: z.string(),
  /** zone, version (stable | canary), and anything else a selector may match. */
  labels: z.record(z.string(), z.string()),
});
export type Instance = z.infer<typeof instanceSchema>;

const serviceSchema = z.object({
  name: z.string(),
  description: z.string(),
});
export type Service = z.infer<typeof serviceSchema>;

export const fleetSchema = z.object({
  services: z.array(serviceSchema),
  instances: z.array(instanceSchema),
});
export type Fleet = z.infer<typeof fleetSchema>;

export function instancesOf(
  fleet: Pick<Fleet, 'instances'>,
  service: string,
  environment: Instance['environment'],
): Instance[] {
  return fleet.instances.filter((i) => i.service === service && i.environment === environment);
}

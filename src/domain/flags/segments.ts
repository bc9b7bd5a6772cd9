import { z } from 'zod';
import { conditionSchema, segmentKeySchema } from './conditions';
import { jsonLogicSchema } from './flagd-document';

const MAX_SEGMENT_CONDITIONS = 20;

const segmentFields = z.object({
  key: segmentKeySchema,
  name: z
    .string({ error: 'give the segment a name' })
    .trim()
    .min(1, 'give the segment a name')
    .max(80, 'a name is at most 80 characters'),
  description: z.string().max(500, 'a description is at most 500 characters').default(''),
  /** Every condition must hold. A segment cannot name another segment. */
  conditions: z
    .array(conditionSchema)
    .max(MAX_SEGMENT_CONDITIONS, `at most ${MAX_SEGMENT_CONDITIONS} conditions`),
  /** Or a JSON rule: an imported flagd evaluator the conditions cannot draw, kept as written. */
  logic: jsonLogicSchema.optional(),
});

/** A named group of users, reused by the rules of many flags ("internal employees"). */
export const segmentSpecSchema = segmentFields.superRefine((segment, ctx) => {
  if (segment.logic === undefined && segment.conditions.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['conditions'],
      message: 'a segment needs at least one condition',
    });
  if (segment.logic !== undefined && segment.conditions.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['logic'],
      message: 'a JSON rule replaces the conditions: keep one or the other',
    });
  segment.conditions.forEach((condition, index) => {
    if (condition.operator === 'segment') {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions', index, 'operator'],
        message: 'a segment cannot contain another segment: repeat its conditions instead',
      });
    }
  });
});
export type SegmentSpec = z.infer<typeof segmentSpecSchema>;
export type SegmentSpecInput = z.input<typeof segmentSpecSchema>;

export const segmentSchema = segmentFields.extend({
  version: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  updatedBy: z.string(),
});
export type Segment = z.infer<typeof segmentSchema>;

export function segmentSpecOf(segment: Segment): SegmentSpec {
  const { key, name, description, conditions, logic } = segment;
  return logic === undefined
    ? { key, name, description, conditions }
    : { key, name, description, conditions, logic };
}

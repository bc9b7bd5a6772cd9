import { z } from 'zod';
import { environmentSchema } from './environments';

/**
 * Flag evaluations as an application's OpenFeature hook counts them: per flag, the variant it
 * got and the reason (TARGETING_MATCH, STATIC, …). An evaluation that failed (the flag service
 * did not answer, or answered an error) has reason ERROR and variant `fallback`: the user got
 * the application's fallback value.
 */
const FALLBACK_REASON = 'ERROR';

/** Series kept in one answer, at most: a service evaluates a handful of flags, not hundreds. */
export const FLAG_EVALUATION_SERIES_MAX = 60;
/** Points kept per series, at most. */
export const FLAG_EVALUATION_POINTS_MAX = 720;

const label = z.string().max(200);

const flagEvaluationSeriesSchema = z.object({
  flag: label,
  variant: label,
  reason: label,
  /** Evaluations per second, oldest first; t in epoch ms. */
  points: z
    .array(z.object({ t: z.number(), perSecond: z.number() }))
    .max(FLAG_EVALUATION_POINTS_MAX),
});
export type FlagEvaluationSeries = z.infer<typeof flagEvaluationSeriesSchema>;

export const flagEvaluationsSchema = z.object({
  series: z.array(flagEvaluationSeriesSchema).max(FLAG_EVALUATION_SERIES_MAX),
  /** Why no evaluation can be counted here at all, in words (a source that does not count them). */
  unavailable: z.string().optional(),
});
export type FlagEvaluations = z.infer<typeof flagEvaluationsSchema>;

const epochMs = (field: string) =>
  z.coerce
    .number({ error: `${field} must be epoch milliseconds` })
    .finite(`${field} must be epoch milliseconds`)
    .optional();

export const flagEvaluationsQuerySchema = z
  .object({
    environment: environmentSchema,
    /** One service's evaluations; without it, every service's in the environment. */
    service: z.string().min(1, 'choose a service').max(200).optional(),
    /** Where the history starts, epoch ms (default: 15 min before `until`). */
    since: epochMs('since'),
    /** Where it ends, epoch ms (default: now): a past run's end, so its chart shows the run. */
    until: epochMs('until'),
  })
  .refine(
    (query) => query.since === undefined || query.until === undefined || query.until >= query.since,
    {
      path: ['until'],
      message: 'until must not be before since',
    },
  );
export type FlagEvaluationsQuery = z.infer<typeof flagEvaluationsQuerySchema>;

/** Whether a series counts users who got the fallback value. */
export const isFallback = (series: Pick<FlagEvaluationSeries, 'reason'>) =>
  series.reason === FALLBACK_REASON;

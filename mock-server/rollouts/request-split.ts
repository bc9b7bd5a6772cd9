import { sampleRatioCheck } from '../../src/domain';

type SampleRatioCheck = ReturnType<typeof sampleRatioCheck>;

/**
 * On a real service's requests, a side must get less than this part of the share the rollout
 * expects of it (or the other side that much less of its own) to be a mismatch.
 */
const REQUEST_SPLIT_TOLERANCE = 0.5;

/**
 * The sample-ratio check on a real service's requests counted by cohort. Requests are not the
 * units a flag buckets: it buckets users, and each user sends many requests, so χ² over requests
 * calls the 55.5 / 44.5 split of 200 users at 50 % "significant" once a few thousand requests are
 * counted, though those users split as a 50 % rollout splits them. So a mismatch on requests must
 * also be gross: one side short of half its expected share. That still catches what the check is
 * for: a cohort missing or swamped (the flag changed outside the rollout, the service not reading
 * or not labelling it, every request served the fallback). A split that is significant but within
 * the tolerance is a match.
 */
export function requestSampleRatio(
  onRequests: number,
  offRequests: number,
  expectedShare: number,
): SampleRatioCheck {
  const check = sampleRatioCheck(onRequests, offRequests, expectedShare);
  if (check.outcome !== 'mismatch' || check.observedShare === null) return check;
  const observed = check.observedShare;
  const part = Math.min(
    expectedShare > 0 ? observed / expectedShare : 1,
    expectedShare < 1 ? (1 - observed) / (1 - expectedShare) : 1,
  );
  return part < REQUEST_SPLIT_TOLERANCE ? check : { ...check, outcome: 'match' };
}

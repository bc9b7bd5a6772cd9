import { NO_SERIES, numberOf, type InstantAnswer, type VectorAnswer } from './prometheus-client';

/**
 * Many groups' expressions of one metric read in one instant query: each expression is tagged
 * with its group's index in a label of its own and the tagged ones are joined with `or`, so
 * the answer's series say which group they are. Up to MAX_QUERY_CHARS of query text, then a
 * new query starts: 50 experiments' 101 groups make 2 or 3 queries per metric, not 101.
 */

/** The longest batched query text, in characters (sent as a POST form, not in a URL). */
const MAX_QUERY_CHARS = 12_000;
/** The label that tells, in a query answering many groups, which group a series is. */
const GROUP_LABEL = 'faultline_group';
const OR = ' or ';

interface InstantBatch {
  /** The groups asked, by their index in the evaluation. */
  indexes: number[];
  /** Each group's own expression (asked alone when Prometheus refuses the batch). */
  queries: string[];
  /** The batched query. */
  text: string;
}

export function batchesOf(
  groups: readonly { index: number; expression: string }[],
  maxChars = MAX_QUERY_CHARS,
): InstantBatch[] {
  const batches: InstantBatch[] = [];
  let batch: InstantBatch | undefined;
  for (const { index, expression } of groups) {
    const tagged = `label_replace(${expression}, "${GROUP_LABEL}", "${index}", "", "")`;
    // One expression longer than the limit goes alone: it is asked, never dropped.
    if (!batch || batch.text.length + OR.length + tagged.length > maxChars) {
      batch = { indexes: [], queries: [], text: '' };
      batches.push(batch);
    }
    batch.indexes.push(index);
    batch.queries.push(expression);
    batch.text = batch.text === '' ? tagged : `${batch.text}${OR}${tagged}`;
  }
  return batches;
}

/** A batch's answer split into each group's, the way the group's own query would read. */
export function splitByGroup(
  answer: VectorAnswer,
  indexes: readonly number[],
): Map<number, InstantAnswer> {
  const split = new Map<number, InstantAnswer>();
  if ('missing' in answer) {
    for (const index of indexes) split.set(index, { missing: answer.missing });
    return split;
  }
  const byGroup = new Map<string, typeof answer.series>();
  for (const one of answer.series) {
    const key = one.labels[GROUP_LABEL] ?? '';
    byGroup.set(key, [...(byGroup.get(key) ?? []), one]);
  }
  for (const index of indexes) {
    const series = byGroup.get(String(index)) ?? [];
    const first = series[0];
    if (!first) split.set(index, { missing: NO_SERIES });
    else if (series.length > 1)
      split.set(index, { missing: `the query answers ${series.length} series, not one number` });
    else split.set(index, numberOf(first.value, first.t / 1000));
  }
  return split;
}

import { FlagdCore } from '@openfeature/flagd-core';
import { ENVIRONMENTS } from '../../src/domain';
import {
  segmentToLogic,
  toFlagdDocument,
  type FlagSpec,
  type SegmentSpec,
} from '../../src/domain/flags';
import type { FieldIssue } from '../../src/domain/validation';

interface SchemaError {
  instancePath?: string;
  message?: string;
}

/** The first complaint in flagd-core's schema report ("…: [ {instancePath, message} ]"). */
function firstSchemaError(report: string): string {
  const start = report.indexOf('[');
  try {
    const [first] = JSON.parse(report.slice(start)) as SchemaError[];
    if (first?.message) return `${first.instancePath || 'the document'} ${first.message}`;
  } catch {
    // fall through to the report's own words
  }
  return report.slice(0, 200);
}

/**
 * Why flagd would not take this document, in flagd-core's own words, or null when it would.
 * flagd-core loads loosely (a rule it cannot compile answers every evaluation with an error),
 * so its schema check and its rule compiler both report through the logger: listen to them.
 */
function flagdRefusal(document: unknown): string | null {
  let refusal: string | null = null;
  const note = (message: unknown) => {
    const text = String(message);
    if (refusal !== null) return;
    if (text.startsWith('Invalid targeting')) refusal = text;
    else if (text.includes('instancePath')) refusal = firstSchemaError(text);
  };
  const logger = { error: note, warn: note, info: () => {}, debug: note };
  try {
    new FlagdCore(undefined, logger).setConfigurations(JSON.stringify(document));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return refusal;
}

const refused = (why: string) => `flagd refuses this JSON rule: ${why}`;

/**
 * Issues for JSON rules flagd would not load: each environment's JSON rule is checked in the
 * document that environment exports, next to the segments it may `$ref`.
 */
export function jsonRuleIssues(flag: FlagSpec, segments: readonly SegmentSpec[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const environment of ENVIRONMENTS) {
    if (flag.environments[environment].logic === undefined) continue;
    const why = flagdRefusal(
      toFlagdDocument([flag], segments, environment, { metadata: 'evaluation' }),
    );
    if (why !== null)
      issues.push({ path: `environments.${environment}.logic`, message: refused(why) });
  }
  return issues;
}

/** An issue when flagd would not load a segment written as a JSON rule. */
export function segmentRuleIssues(segment: SegmentSpec): FieldIssue[] {
  if (segment.logic === undefined) return [];
  const why = flagdRefusal({ flags: {}, $evaluators: { [segment.key]: segmentToLogic(segment) } });
  return why === null ? [] : [{ path: 'logic', message: refused(why) }];
}

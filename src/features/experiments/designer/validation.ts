import {
  experimentSpecSchema,
  fieldIssues,
  issuesByPath,
  type ExperimentSpec,
  type ExperimentSpecInput,
} from '@/domain';

export interface SpecValidation {
  /** The parsed spec when valid: the only thing ever sent to the server. */
  spec: ExperimentSpec | null;
  /** Messages keyed by field path ("steps.1.magnitude"). */
  issues: Record<string, string>;
}

export function validateSpec(input: ExperimentSpecInput): SpecValidation {
  const result = experimentSpecSchema.safeParse(input);
  if (result.success) return { spec: result.data, issues: {} };
  return { spec: null, issues: issuesByPath(fieldIssues(result.error)) };
}

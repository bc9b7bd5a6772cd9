import {
  experimentSpecSchema,
  fieldIssues,
  issuesByPath,
  windowsLongerThanRun,
  type ExperimentSpec,
  type ExperimentSpecInput,
} from '@/domain';

interface SpecValidation {
  /** The parsed spec when valid: the only thing ever sent to the server. */
  spec: ExperimentSpec | null;
  /** Messages keyed by field path ("steps.1.magnitude"). */
  issues: Record<string, string>;
}

/**
 * The schema's checks, and one the designer adds: a condition whose window is longer than
 * the run could never trip, so it is refused here rather than found out after the run.
 */
export function validateSpec(input: ExperimentSpecInput): SpecValidation {
  const result = experimentSpecSchema.safeParse(input);
  const windows = windowsLongerThanRun(input);
  if (result.success && windows.length === 0) return { spec: result.data, issues: {} };
  const issues = [...(result.success ? [] : fieldIssues(result.error)), ...windows];
  return { spec: null, issues: issuesByPath(issues) };
}

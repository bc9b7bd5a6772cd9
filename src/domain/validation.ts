import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path of the field at fault: "steps.1.magnitude". Empty for the whole body. */
  path: string;
  message: string;
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** "steps.1.magnitude: magnitude must be at most 100 %" — one line per issue. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/** Issues keyed by path, for forms that put each message next to its field. */
export function issuesByPath(issues: readonly FieldIssue[]): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const issue of issues) byPath[issue.path] ??= issue.message;
  return byPath;
}

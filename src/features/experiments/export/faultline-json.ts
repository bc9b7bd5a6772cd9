import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { experimentSpecSchema, fieldIssues, type ExperimentSpec } from '@/domain';

/** The versioned envelope of an experiment file: `{ "faultline": "experiment/v1", "experiment": … }`. */
export const FAULTLINE_FORMAT = 'experiment/v1';

const envelopeSchema = z.object({
  faultline: z.literal(FAULTLINE_FORMAT, {
    error: `not a Faultline experiment file: "faultline" must be "${FAULTLINE_FORMAT}"`,
  }),
  experiment: experimentSpecSchema,
});

export function toFaultlineJson(spec: ExperimentSpec): string {
  return `${JSON.stringify({ faultline: FAULTLINE_FORMAT, experiment: spec }, null, 2)}\n`;
}

/** What is wrong with an imported file, and where: a line (and column) and/or a field path. */
export interface ImportProblem {
  message: string;
  /** Dotted path of the field at fault: "experiment.steps.1.magnitude". */
  path?: string;
  /** 1-based. */
  line?: number;
  column?: number;
}

type ImportResult = { ok: true; spec: ExperimentSpec } | { ok: false; problems: ImportProblem[] };

/** "line 4, column 7: …", "experiment.steps.1.magnitude (line 14): …". */
export function describeProblem(problem: ImportProblem): string {
  const where =
    problem.line === undefined
      ? ''
      : `line ${problem.line}${problem.column === undefined ? '' : `, column ${problem.column}`}`;
  if (problem.path) return `${problem.path}${where ? ` (${where})` : ''}: ${problem.message}`;
  return where ? `${where}: ${problem.message}` : problem.message;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** JSON.parse's message carries a character position in most engines; without one, point at the end. */
function jsonProblem(text: string, error: SyntaxError): ImportProblem {
  const position = /position (\d+)/.exec(error.message)?.[1];
  const at = lineAndColumn(text, position === undefined ? text.length : Number(position));
  const message = error.message
    .replace(/\s*in JSON at position \d+.*$/, '')
    .replace(/^JSON\.parse: /, '');
  return { message: `not valid JSON: ${message}`, ...at };
}

function parseText(
  text: string,
): { value: unknown; doc: Document; counter: LineCounter } | { problems: ImportProblem[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
  if (/^\s*[{[]/.test(text)) {
    try {
      return { value: JSON.parse(text) as unknown, doc, counter };
    } catch (error) {
      return { problems: [jsonProblem(text, error as SyntaxError)] };
    }
  }
  const [first] = doc.errors;
  if (first) {
    const at = counter.linePos(first.pos[0]);
    return {
      problems: [
        {
          message: `not valid YAML: ${first.message.split('\n')[0]}`,
          line: at.line,
          column: at.col,
        },
      ],
    };
  }
  return { value: doc.toJS() as unknown, doc, counter };
}

/** The line of the node a field path names, or of its nearest parent present in the file. */
function lineOfPath(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = doc.getIn(path.slice(0, length) as (string | number)[], true) as
      { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * Reads a Faultline experiment file (JSON, or the same envelope in YAML). A bad file is
 * rejected whole: nothing is imported, and each problem names its line or its field.
 */
export function parseExperimentFile(text: string): ImportResult {
  if (!text.trim()) return { ok: false, problems: [{ message: 'the file is empty' }] };
  const parsed = parseText(text);
  if ('problems' in parsed) return { ok: false, problems: parsed.problems };
  const result = envelopeSchema.safeParse(parsed.value);
  if (result.success) return { ok: true, spec: result.data.experiment };
  const problems = result.error.issues.map((issue, index): ImportProblem => {
    const path = fieldIssues(result.error)[index]?.path ?? '';
    const line = lineOfPath(parsed.doc, parsed.counter, issue.path);
    const field = issue.path[issue.path.length - 1];
    const missing =
      issue.code === 'invalid_type' &&
      /received undefined$/.test(issue.message) &&
      field !== undefined;
    const message = missing ? `"${String(field)}" is missing` : issue.message;
    return { message, ...(path ? { path } : {}), ...(line === undefined ? {} : { line }) };
  });
  return { ok: false, problems };
}

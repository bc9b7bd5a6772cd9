import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

/** Every project file and the project files it imports, type-only imports included. */
function importGraph(): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(repo, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error('tsconfig.json could not be read');
  const graph = new Map<string, string[]>();
  for (const file of config.fileNames) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport)
        targets.push(path.resolve(resolved.resolvedFileName));
    }
    graph.set(path.resolve(file), targets);
  }
  return graph;
}

/** The strongly connected groups of more than one file (Tarjan), as paths from the repo root. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(path.relative(repo, member));
    } while (member !== file);
    if (group.length > 1) found.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the import graph', () => {
  // Lint (eslint/import-circles.js) reports a circle on the import that closes it; this checks
  // the whole project at once, type-only imports included (the old backend circle ran through
  // types), so a circle in files lint skips is found too.
  it('has no circle, not even through type-only imports', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    // A type-only import through the @/ alias is an edge too.
    expect(graph.get(path.join(repo, 'src/lib/queries/experiment-cache.ts'))).toContain(
      path.join(repo, 'src/backend/backend.ts'),
    );
    expect(circles(graph)).toEqual([]);
  });

  it('names the files of a circle when there is one', () => {
    const a = path.join(repo, 'a.ts');
    const b = path.join(repo, 'b.ts');
    const c = path.join(repo, 'c.ts');
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, [a, c]],
          [c, []],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });
});

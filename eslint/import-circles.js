// No import circles, type-only imports included (import-x/no-cycle skipped those, and the old
// backend circle ran through types). The project's import graph is read once per process with
// the TypeScript resolver (tsconfig paths included); the file being linted contributes its
// current text, so a circle it closes is reported on the import that closes it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');

let project = null;

/** tsconfig's options and the project's files, each with the project files it imports. */
function loadProject() {
  if (project) return project;
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error('tsconfig.json could not be read');
  const cache = ts.createModuleResolutionCache(root, (name) => name, config.options);
  project = { options: config.options, cache, graph: new Map(), importers: new Map() };
  for (const file of config.fileNames)
    setImports(path.resolve(file), importsOf(file, readFileSync(file, 'utf8')));
  return project;
}

/** Records what `file` imports now, in both directions. */
function setImports(file, targets) {
  const { graph, importers } = project;
  for (const target of graph.get(file) ?? []) importers.get(target)?.delete(file);
  graph.set(file, targets);
  for (const target of targets) {
    if (!importers.has(target)) importers.set(target, new Set());
    importers.get(target).add(file);
  }
}

/** The project file `specifier` names from `file`, or null (a package, or nothing). */
function resolve(file, specifier) {
  const { options, cache } = project;
  const { resolvedModule } = ts.resolveModuleName(specifier, file, options, ts.sys, cache);
  if (!resolvedModule || resolvedModule.isExternalLibraryImport) return null;
  return path.resolve(resolvedModule.resolvedFileName);
}

/** Every project file `text` imports, type-only and dynamic imports included. */
function importsOf(file, text) {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return [...new Set(importedFiles.map(({ fileName }) => resolve(file, fileName)).filter(Boolean))];
}

/** The files from which `file` can be reached by following imports, each with its next step. */
function reachingFiles(file) {
  const next = new Map([[file, null]]);
  const pending = [file];
  while (pending.length > 0) {
    const current = pending.pop();
    for (const importer of project.importers.get(current) ?? [])
      if (!next.has(importer)) {
        next.set(importer, current);
        pending.push(importer);
      }
  }
  return next;
}

export const importCircles = {
  meta: {
    type: 'problem',
    docs: { description: 'No import circles, not even through type-only imports.' },
    schema: [],
  },
  create(context) {
    const file = path.resolve(context.filename);
    if (!loadProject().graph.has(file)) return {};
    setImports(file, importsOf(file, context.sourceCode.text));
    let reaching = null;
    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const target = resolve(file, specifier);
      if (!target || target === file) return;
      reaching ??= reachingFiles(file);
      if (!reaching.has(target)) return;
      const route = [file, target];
      for (let at = reaching.get(target); at !== null; at = reaching.get(at)) route.push(at);
      context.report({
        node,
        message: `Import circle: ${route.map((p) => path.relative(root, p)).join(' → ')}.`,
      });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

// The import boundaries of shared/STYLE.md, as one ESLint rule. The layer of a file is read
// from its path (src/features/<name>/… is feature <name>), so a new feature folder is
// covered without editing this file.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The layer a file belongs to: "domain", "backend", "feature:flags", "mock-server", … */
export function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'mock-server') return 'mock-server';
  if (rel[0] === 'agent') return 'agent';
  if (rel[0] !== 'src') return null;
  if (rel[1] === 'features' && rel.length > 3) return `feature:${rel[2]}`;
  return rel.length > 2 ? rel[1] : null;
}

/** Which layers a layer may import from (its own always allowed). */
function allowed(from, to) {
  if (from === to) return true;
  if (from === 'domain') return false;
  if (from === 'mock-server' || from === 'agent') return to === 'domain';
  if (to === 'agent') return false;
  if (to === 'mock-server') return false;
  // lib holds the glue over the adapter (query options, live stores); the adapter knows
  // nothing of it, so a second backend brings only itself.
  if (from === 'lib') return to === 'domain' || to === 'backend';
  if (from === 'backend') return to === 'domain';
  if (from === 'components') return ['domain', 'lib', 'backend'].includes(to);
  if (from.startsWith('feature:')) return ['domain', 'lib', 'backend', 'components'].includes(to);
  return true; // app composes everything
}

function resolveTarget(fromFile, specifier) {
  if (specifier.startsWith('@/')) return path.join(root, 'src', specifier.slice(2));
  if (specifier.startsWith('.')) return path.resolve(path.dirname(fromFile), specifier);
  return null;
}

const SIMULATION = path.join(root, 'mock-server', 'simulation');
const COMPOSITION_ROOT = path.join(root, 'mock-server', 'app.ts');

/** The engine and the modules reach the world through the seams, never the simulation itself. */
function knowsSimulation(file, target) {
  const inside = (p) => p === SIMULATION || p.startsWith(SIMULATION + path.sep);
  return inside(target) && !inside(file) && file !== COMPOSITION_ROOT;
}

const HTTP_ADAPTER = path.join(root, 'src', 'backend', 'http');
/** The entry points that build the HTTP adapter and hand it to the app. */
const ADAPTER_BUILDERS = new Set([
  path.join(root, 'src', 'main.tsx'),
  path.join(root, 'src', 'status-main.tsx'),
]);

/**
 * Only the entry points know the HTTP implementation; the interface (backend.ts,
 * capabilities/) and the code over it import none of it, not even a type, so a second
 * backend brings only itself.
 */
function knowsHttpAdapter(file, target) {
  const inside = (p) => p === HTTP_ADAPTER || p.startsWith(HTTP_ADAPTER + path.sep);
  return inside(target) && !inside(file) && !ADAPTER_BUILDERS.has(file);
}

const BARE_ALLOWED_IN_DOMAIN = new Set(['zod']);

export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps domain pure and features apart (shared/STYLE.md).' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const target = resolveTarget(file, specifier);
      if (!target) {
        if (from === 'domain' && !BARE_ALLOWED_IN_DOMAIN.has(specifier)) {
          context.report({
            node,
            message: `src/domain imports only zod and itself, not "${specifier}".`,
          });
        }
        if (
          from !== 'mock-server' &&
          from !== 'agent' &&
          (specifier.startsWith('node:') || specifier === 'fs' || specifier === 'path')
        ) {
          context.report({
            node,
            message: `Browser code cannot import the Node module "${specifier}".`,
          });
        }
        return;
      }
      const to =
        layerOf(target.endsWith('.ts') || target.endsWith('.tsx') ? target : `${target}/x.ts`) ??
        layerOf(target);
      if (to && !allowed(from, to)) {
        context.report({
          node,
          message: `${from} may not import from ${to} (shared/STYLE.md: layout).`,
        });
      }
      if (file.startsWith(path.join(root, 'src') + path.sep) && knowsHttpAdapter(file, target)) {
        context.report({
          node,
          message:
            'Only src/backend/http/ and the entry points (main.tsx, status-main.tsx) know the HTTP adapter: use the Backend interface.',
        });
      }
      if (from === 'mock-server' && knowsSimulation(file, target)) {
        context.report({
          node,
          message:
            'Only mock-server/simulation/ and the composition root (app.ts) know the simulation: ' +
            'use the seams of mock-server/backends/seams.ts (docs/backends.md).',
        });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

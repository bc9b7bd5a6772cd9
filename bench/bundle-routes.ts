import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** One chunk of Vite's build manifest (.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

interface AppRoute {
  path: string;
  /** The route module, as the manifest names it: "src/app/routes/overview-route.tsx". */
  module: string;
  /** Behind sign-in: the signed-in layout loads before the page. */
  signedIn: boolean;
}

const LAYOUT = 'src/app/layout/signed-in-layout.tsx';

/** The routes declared in src/app/routes.ts (commented-out lines are not routes). */
export function appRoutes(root: string): AppRoute[] {
  const text = readFileSync(path.join(root, 'src/app/routes.ts'), 'utf8');
  const publicStart = text.indexOf('const publicPages');
  const routes: AppRoute[] = [];
  const pattern =
    /^[^/\n]*\{\s*(?:index:\s*true|path:\s*'([^']*)')\s*,\s*lazy:\s*\(\)\s*=>\s*import\('\.\/routes\/([^']+)'\)/gm;
  for (const match of text.matchAll(pattern)) {
    const file = match[2] ?? '';
    routes.push({
      path: `/${match[1] ?? ''}`,
      module: `src/app/routes/${file}${path.extname(file) ? '' : '.tsx'}`,
      signedIn: publicStart < 0 || (match.index ?? 0) < publicStart,
    });
  }
  return routes;
}

/** Every JavaScript file a chunk pulls in before it runs: itself and its static imports, transitively. */
function staticClosure(manifest: Manifest, key: string, into: Set<string>): void {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, into);
}

/** The dashboard's entry (index.html); other entries (a standalone page) are not its routes. */
function entryKey(manifest: Manifest): string {
  const key = Object.keys(manifest).find((k) => k === 'index.html' && manifest[k]?.isEntry);
  if (!key) throw new Error('the manifest has no entry chunk');
  return key;
}

/** The JavaScript files a browser downloads before a route first renders. */
export function initialFiles(manifest: Manifest, route: AppRoute): string[] {
  const files = new Set<string>();
  staticClosure(manifest, entryKey(manifest), files);
  if (route.signedIn) staticClosure(manifest, LAYOUT, files);
  if (!manifest[route.module]) throw new Error(`the manifest has no chunk for ${route.module}`);
  staticClosure(manifest, route.module, files);
  return [...files].filter((f) => f.endsWith('.js'));
}

export function gzippedBytes(distDir: string, files: readonly string[]): number {
  return files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(path.join(distDir, file)), { level: 9 }).length,
    0,
  );
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the dashboard in dist/ is built from: a change to any of them means building again. */
const SOURCES = ['src', 'public', 'index.html', 'status.html', 'vite.config.ts', 'package.json'];

/** The newest file under `entry` (a file or a folder), with its modification time. */
function newest(entry: string): { file: string; mtimeMs: number } | null {
  if (!existsSync(entry)) return null;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return { file: entry, mtimeMs: stat.mtimeMs };
  let found: { file: string; mtimeMs: number } | null = null;
  for (const name of readdirSync(entry)) {
    const candidate = newest(path.join(entry, name));
    if (candidate && (!found || candidate.mtimeMs > found.mtimeMs)) found = candidate;
  }
  return found;
}

/**
 * Why the dashboard in `root`/dist must be built before serving it: none there yet, or a
 * source changed since (after a pull, a stale build would show yesterday's pages). Null when
 * dist/ is current.
 */
export function dashboardBuildReason(root: string): string | null {
  const built = path.join(root, 'dist', 'index.html');
  if (!existsSync(built)) return 'dist/ has none yet';
  const builtAt = statSync(built).mtimeMs;
  for (const source of SOURCES) {
    const changed = newest(path.join(root, source));
    if (changed && changed.mtimeMs > builtAt) {
      return `${path.relative(root, changed.file)} changed since dist/ was built`;
    }
  }
  return null;
}

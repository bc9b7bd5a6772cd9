import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardBuildReason } from '../../mock-server/dashboard-build';

let root: string | null = null;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
});

/** Writes `file` under the project with its modification time `secondsAgo` seconds back. */
function write(project: string, file: string, secondsAgo: number) {
  const at = path.join(project, file);
  mkdirSync(path.dirname(at), { recursive: true });
  writeFileSync(at, 'x');
  const when = Date.now() / 1000 - secondsAgo;
  utimesSync(at, when, when);
}

describe('whether npm start builds the dashboard first', () => {
  it('builds when dist/ has none yet', () => {
    const project = (root = mkdtempSync(path.join(tmpdir(), 'faultline-dist-')));
    write(project, 'src/main.tsx', 60);
    expect(dashboardBuildReason(project)).toBe('dist/ has none yet');
  });

  it('serves dist/ as it is when it is newer than every source', () => {
    const project = (root = mkdtempSync(path.join(tmpdir(), 'faultline-dist-')));
    write(project, 'src/features/monitor/chart.tsx', 60);
    write(project, 'index.html', 60);
    write(project, 'dist/index.html', 10);
    expect(dashboardBuildReason(project)).toBeNull();
  });

  it('builds again when a source changed since, as after a pull, naming it', () => {
    const project = (root = mkdtempSync(path.join(tmpdir(), 'faultline-dist-')));
    write(project, 'src/features/monitor/chart.tsx', 60);
    write(project, 'dist/index.html', 30);
    write(project, 'src/features/rollouts/rollout-page.tsx', 5);
    expect(dashboardBuildReason(project)).toBe(
      'src/features/rollouts/rollout-page.tsx changed since dist/ was built',
    );
  });
});

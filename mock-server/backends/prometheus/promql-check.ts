import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { METRICS, type Environment, type Metric } from '../../../src/domain';
import type { BackendsConfig } from '../backends-config';
import { DEFAULT_TEMPLATES, instanceMatcher, renderTemplate } from './promql';

/** How long promtool may take to parse every template, in ms. */
const PROMTOOL_TIMEOUT_MS = 10_000;

/**
 * Parses every template of the file (the defaults an environment keeps, and its own) with
 * Prometheus's own parser (`promtool check rules`), filled with sample values, so a PromQL
 * syntax error is refused at start-up with its field named instead of failing every evaluation.
 * Returns the problems ("environments.production.metrics.queries.cpu: …"), or null when
 * promtool is not there to ask (the placeholder and bracket checks have run all the same).
 */
export function promqlProblems(config: BackendsConfig, promtool: string): string[] | null {
  const rules: { record: string; expr: string; field: string }[] = [];
  for (const [environment, backend] of Object.entries(config.environments)) {
    if (!backend) continue;
    const metrics = backend.metrics;
    for (const metric of METRICS) {
      const own = metrics.queries[metric];
      rules.push({
        record: `faultline_check_${rules.length}`,
        expr: renderTemplate(own ?? DEFAULT_TEMPLATES[metric], {
          service: backend.fleet.services[0]?.name ?? 'service',
          environment: environment as Environment,
          instances: instanceMatcher(metrics.instanceLabel, {
            kind: 'only',
            instances: ['127.0.0.1:9100'],
          }),
          range: metrics.range,
          memory_limit_bytes: String(metrics.memoryLimitBytes),
        }),
        field: `environments.${environment}.metrics.queries.${metric satisfies Metric}`,
      });
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-promql-'));
  try {
    const file = path.join(dir, 'templates.yml');
    writeFileSync(
      file,
      toYaml({
        groups: [{ name: 'faultline', rules: rules.map(({ record, expr }) => ({ record, expr })) }],
      }),
    );
    const run = spawnSync(promtool, ['check', 'rules', file], {
      encoding: 'utf8',
      timeout: PROMTOOL_TIMEOUT_MS,
    });
    if (run.error || run.status === null) return null;
    if (run.status === 0) return [];
    const problems: string[] = [];
    for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
      const found = /rule (\d+), "[^"]*": (.*)$/.exec(line);
      if (!found) continue;
      const rule = rules[Number(found[1]) - 1];
      if (rule) problems.push(`${rule.field}: ${found[2] ?? 'not PromQL'}`);
    }
    if (problems.length === 0) problems.push(`the PromQL templates: ${run.stdout.trim()}`);
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { ConfigError, parseConfig } from '../../mock-server/config';
import { PROMTOOL, prometheusInstalled } from './real-prometheus';

/** The example in docs/backends.md: the format others write files in, so it must stay valid. */
function documentedExample(): unknown {
  const doc = readFileSync(path.join(__dirname, '../../docs/backends.md'), 'utf8');
  const block = /<!-- backends-example[^>]*-->\s*```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/backends.md has no backends-example block');
  return parseYaml(block);
}

function backendsFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'faultline-backends-')), 'backends.yml');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const minimal = (metrics: Record<string, unknown> = {}, fleet: Record<string, unknown> = {}) => ({
  environments: {
    staging: {
      metrics: { url: 'http://127.0.0.1:9090', ...metrics },
      fleet: {
        services: [{ name: 'shop' }],
        instances: [{ id: 'shop-1', service: 'shop' }],
        ...fleet,
      },
    },
  },
});

function refusal(env: Record<string, string>): string {
  try {
    parseConfig(env, []);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('the backends file', () => {
  it('accepts the example documented in docs/backends.md', () => {
    const config = parseBackendsConfig(documentedExample());
    const production = config.environments.production;
    expect(production?.metrics.url).toBe('http://127.0.0.1:9090');
    expect(production?.fleet.instances.map((i) => i.metricsInstance)).toEqual([
      '127.0.0.1:7101',
      '127.0.0.1:7102',
    ]);
    expect(production?.metrics.queries.latency_p99).toContain('{{instances}}');
  });

  it('fills in a 1 s evaluation, a 3-interval grace that aborts, and the default templates', () => {
    const config = parseBackendsConfig(minimal());
    expect(config.environments.staging?.metrics).toMatchObject({
      kind: 'prometheus',
      evaluationIntervalMs: 1000,
      queryTimeoutMs: 800,
      graceEvaluations: 3,
      onMissing: 'abort',
      instanceLabel: 'instance',
      range: '5s',
      queries: {},
    });
  });

  it.each([
    [minimal({ url: 'ftp://prometheus' }), 'environments.staging.metrics.url'],
    [minimal({ onMissing: 'ignore' }), 'environments.staging.metrics.onMissing'],
    [minimal({ evaluationIntervalMs: 10 }), 'environments.staging.metrics.evaluationIntervalMs'],
    [minimal({ queryTimeoutMs: 5000 }), 'environments.staging.metrics.queryTimeoutMs'],
    [minimal({ range: '5 seconds' }), 'environments.staging.metrics.range'],
    [
      minimal({ queries: { cpu: 'rate(x{{{instances}}}[1m])', speed: 'x' } }),
      'environments.staging.metrics.queries.speed: not a metric',
    ],
    [
      minimal({ queries: { cpu: 'sum(rate(x{svc="{{svc}}",{{instances}}}[1m]))' } }),
      'environments.staging.metrics.queries.cpu: unknown placeholder {{svc}}',
    ],
    [
      minimal({ queries: { memory: 'avg(process_resident_memory_bytes{service="{{service}}"})' } }),
      'environments.staging.metrics.queries.memory: the template must use {{instances}}',
    ],
    [
      minimal({ queries: { cpu: 'sum(rate(x{{{instances}}}[1m])' } }),
      'environments.staging.metrics.queries.cpu: "(" is never closed',
    ],
    [
      minimal({}, { instances: [{ id: 'a', service: 'cart' }] }),
      'environments.staging.fleet.instances.0.service: "cart" is not one of fleet.services',
    ],
    [
      minimal(
        {},
        {
          instances: [
            { id: 'a', service: 'shop' },
            { id: 'a', service: 'shop' },
          ],
        },
      ),
      'environments.staging.fleet.instances.1.id: "a" is listed twice',
    ],
    [
      { environments: { qa: minimal().environments.staging } },
      'environments.qa: not an environment',
    ],
    [{ environments: {} }, 'environments: name at least one of'],
    [{ environment: {} }, 'environments: required'],
    [
      { environments: { staging: { fleet: minimal().environments.staging.fleet } } },
      'environments.staging.metrics: required',
    ],
  ])('refuses a bad file, naming the field (%#)', (content, field) => {
    expect(() => parseBackendsConfig(content)).toThrow(field);
    expect(refusal({ FAULTLINE_BACKENDS: backendsFile(content) })).toContain(
      `FAULTLINE_BACKENDS: ${field}`,
    );
  });

  it('refuses a file that cannot be read or is not YAML, saying which', () => {
    expect(refusal({ FAULTLINE_BACKENDS: '/nonexistent/backends.yml' })).toContain(
      'cannot read /nonexistent/backends.yml',
    );
    expect(refusal({ FAULTLINE_BACKENDS: backendsFile('environments: [:') })).toContain(
      'is not YAML or JSON',
    );
  });

  it('reads a good file into the server configuration; without one, every environment is simulated', () => {
    const config = parseConfig(
      { FAULTLINE_BACKENDS: backendsFile(minimal()), FAULTLINE_PROMTOOL: PROMTOOL },
      [],
    );
    expect(Object.keys(config.backends?.environments ?? {})).toEqual(['staging']);
    expect(parseConfig({}, []).backends).toBeNull();
  });

  it.runIf(prometheusInstalled('PromQL parsed by promtool'))(
    'refuses PromQL that Prometheus cannot parse, naming the metric',
    () => {
      const message = refusal({
        FAULTLINE_BACKENDS: backendsFile(
          minimal({ queries: { latency_p99: 'histogram_quantile(0.99, x{{{instances}}} +)' } }),
        ),
        FAULTLINE_PROMTOOL: PROMTOOL,
      });
      expect(message).toContain('environments.staging.metrics.queries.latency_p99');
      expect(message).toMatch(/parse error/);
      // The default templates themselves parse.
      expect(message).not.toContain('queries.cpu');
    },
  );

  it('says so when promtool is missing, and checks what it can without it', () => {
    const config = parseConfig(
      { FAULTLINE_BACKENDS: backendsFile(minimal()), FAULTLINE_PROMTOOL: '/nonexistent/promtool' },
      [],
    );
    expect(config.notices.join(' ')).toContain('were not parsed');
  });
});

import { describe, expect, it } from 'vitest';
import {
  distinctTitle,
  incidentFromAbort,
  orderIncidents,
  resolveIncidentSchema,
  toPublicIncident,
  type AbortOutcome,
  type Incident,
} from '../../src/domain';
import { cpuSpec, runningExperiment } from './fixtures';

const NINE = Date.UTC(2025, 0, 6, 9, 0);

describe('an incident opened by an abort', () => {
  const experiment = runningExperiment(cpuSpec(), NINE, ['h0', 'h1', 'h2']);

  it('explains in plain words what was tested, why it stopped and that faults are gone', () => {
    const outcome: AbortOutcome = {
      kind: 'aborted',
      at: NINE,
      conditionIndex: 0,
      condition: {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 1,
        windowSeconds: 10,
        scope: 'target',
      },
      description: '5xx rate > 1 % for 10 s',
      value: 3.21,
      latest: 3.21,
    };
    const incident = incidentFromAbort(experiment, outcome);
    expect(incident.title).toBe(
      'checkout in staging: some requests failing during a planned test, 6 Jan 09:00 UTC',
    );
    expect(incident.publicSummary).toBe(
      'A planned test put extra load on 3 servers of checkout in staging. ' +
        'It was stopped automatically because 3.2 % of requests were failing, past the limit set for the test. ' +
        'Everything the test changed was undone at once; the team is looking into what the test revealed.',
    );
    // The team keeps the dashboard's words.
    expect(incident.summary).toContain(
      'cpu pressure of 50 % on 3 instances of checkout in staging',
    );
    expect(incident.summary).toContain(
      'because the 5xx rate reached 3.2 %, past its safety limit (5xx rate > 1 % for 10 s)',
    );
    expect(incident.summary).toContain('Every injected fault was removed');
    expect(incident).toMatchObject({
      service: 'checkout',
      environment: 'staging',
      experimentId: 'exp-1',
    });
  });

  it('describes a rising condition by how much the metric rose', () => {
    const outcome: AbortOutcome = {
      kind: 'aborted',
      at: NINE,
      conditionIndex: 1,
      condition: {
        kind: 'rising',
        metric: 'error_rate',
        delta: 2,
        windowSeconds: 30,
        scope: 'target',
      },
      description: 'error rate rises by more than 2 percentage points within 30 s',
      value: 2.55,
      latest: 3.1,
    };
    const incident = incidentFromAbort(experiment, outcome);
    expect(incident.summary).toContain('the error rate rose by 2.6 percentage points (to 3.1 %)');
    expect(incident.publicSummary).toContain(
      'stopped automatically because failing requests kept rising',
    );
  });

  it('names a shutdown without a magnitude', () => {
    const shutdown = {
      ...experiment,
      attack: { type: 'shutdown' as const },
      steps: [{ durationSeconds: 60 }],
    };
    const outcome: AbortOutcome = {
      kind: 'aborted',
      at: NINE,
      conditionIndex: 0,
      condition: {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>',
        threshold: 500,
        windowSeconds: 0,
        scope: 'service',
      },
      description: 'p99 latency > 500 ms',
      value: 900,
      latest: 900,
    };
    const incident = incidentFromAbort(shutdown, outcome);
    expect(incident.summary).toContain('put instance shutdown on 3 instances');
    expect(incident.publicSummary).toContain('A planned test switched off 3 servers of checkout');
    expect(incident.publicSummary).toContain('the slowest 1 in 100 requests took 900 ms');
    expect(incident.title).toBe(
      'checkout in staging: slower responses during a planned test, 6 Jan 09:00 UTC',
    );
  });

  it.each([
    ['http_5xx_rate', 7.25, '7.3 % of requests were failing'],
    ['error_rate', 12, '12 % of requests were failing'],
    ['latency_p99', 2450, 'the slowest 1 in 100 requests took 2.5 s'],
    ['cpu', 97, 'the servers were 97 % busy'],
    ['memory', 91.04, 'the servers’ memory was 91 % full'],
  ] as const)('says %s at %d without jargon: “%s”', (metric, latest, words) => {
    const outcome: AbortOutcome = {
      kind: 'aborted',
      at: NINE,
      conditionIndex: 0,
      condition: {
        kind: 'threshold',
        metric,
        comparator: '>',
        threshold: 1,
        windowSeconds: 10,
        scope: 'target',
      },
      description: 'x',
      value: latest,
      latest,
    };
    const { title, publicSummary } = incidentFromAbort(experiment, outcome);
    expect(publicSummary).toContain(words);
    for (const text of [title, publicSummary ?? '']) {
      expect(text).not.toMatch(/5xx|4xx|p99|latency|cpu|pressure|metric|instance/i);
    }
  });

  it('tells two incidents apart by what happened and when, and numbers a title that still repeats', () => {
    const at = (metric: 'http_5xx_rate' | 'latency_p99', when: number): AbortOutcome => ({
      kind: 'aborted',
      at: when,
      conditionIndex: 0,
      condition: {
        kind: 'threshold',
        metric,
        comparator: '>',
        threshold: 1,
        windowSeconds: 10,
        scope: 'target',
      },
      description: 'x',
      value: 5,
      latest: 5,
    });
    const titles = [
      incidentFromAbort(experiment, at('http_5xx_rate', NINE)).title,
      incidentFromAbort(experiment, at('latency_p99', NINE)).title,
      incidentFromAbort(experiment, at('http_5xx_rate', NINE + 3_600_000)).title,
      incidentFromAbort({ ...experiment, environment: 'production' }, at('http_5xx_rate', NINE))
        .title,
    ];
    expect(new Set(titles).size).toBe(titles.length);
    const first = titles[0]!;
    expect(distinctTitle(first, new Set())).toBe(first);
    expect(distinctTitle(first, new Set([first]))).toBe(`${first} (2)`);
    expect(distinctTitle(first, new Set([first, `${first} (2)`]))).toBe(`${first} (3)`);
  });
});

describe('incidents', () => {
  const base: Incident = {
    id: 'i1',
    title: 't',
    summary: 's',
    service: 'checkout',
    environment: 'staging',
    experimentId: null,
    state: 'open',
    openedAt: NINE,
    resolvedAt: null,
    updates: [{ id: 'u1', at: NINE + 1, author: 'sam-sre', text: 'Looking', resolves: false }],
    version: 1,
  };

  it('shows no author on the public page', () => {
    expect(JSON.stringify(toPublicIncident(base))).not.toContain('sam-sre');
    expect(toPublicIncident(base).updates).toEqual([
      { at: NINE + 1, text: 'Looking', resolves: false },
    ]);
  });

  it('lists open incidents first, newest first, then the most recently resolved', () => {
    const ordered = orderIncidents([
      { ...base, id: 'old-open', openedAt: NINE },
      { ...base, id: 'resolved-early', state: 'resolved', resolvedAt: NINE + 10 },
      { ...base, id: 'new-open', openedAt: NINE + 5 },
      { ...base, id: 'resolved-late', state: 'resolved', resolvedAt: NINE + 20 },
    ]);
    expect(ordered.map((i) => i.id)).toEqual([
      'new-open',
      'old-open',
      'resolved-late',
      'resolved-early',
    ]);
  });

  it('resolves with a default update text and needs the version', () => {
    expect(resolveIncidentSchema.parse({ version: 2 }).text).toBe('Resolved.');
    expect(resolveIncidentSchema.safeParse({}).error?.issues[0]?.path).toEqual(['version']);
  });
});

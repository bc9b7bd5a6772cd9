import { describe, expect, it } from 'vitest';
import {
  blockMarkdown,
  gamedayReport,
  inlineMarkdown,
  reportFileName,
  type Gameday,
  type TimelineEntry,
} from '../../src/domain';

const NINE = Date.UTC(2025, 0, 6, 9, 0);

const gameday: Gameday = {
  id: 'g1',
  title: 'Checkout resilience | Q1',
  description: 'Can checkout lose a zone?',
  startsAt: NINE,
  endsAt: NINE + 7_200_000,
  participants: [{ name: 'sam-sre', role: 'coordinator' }],
  experimentIds: ['exp-a', 'exp-missing'],
  runbook: [
    {
      id: 's1',
      text: 'Announce it',
      experimentId: null,
      tickedBy: 'sam-sre',
      tickedAt: NINE + 60_000,
    },
    { id: 's2', text: 'Start *CPU*', experimentId: 'exp-a', tickedBy: null, tickedAt: null },
  ],
  findings: {
    broke: 'The retry storm took payments down.',
    surprised: '',
    followUps: [{ action: 'Add a retry budget', owner: 'dev-dana', done: false }],
  },
  hypothesisOutcomes: [{ experimentId: 'exp-a', verdict: 'refuted', comment: '5xx went to 3 %' }],
  version: 4,
  createdAt: NINE - 1000,
  updatedAt: NINE,
  createdBy: 'sam-sre',
};

const timeline: TimelineEntry[] = [
  {
    id: '2',
    gamedayId: 'g1',
    at: NINE + 120_000,
    kind: 'note',
    experimentId: null,
    text: 'Payments graphs look odd',
    by: 'dev-dana',
  },
  {
    id: '1',
    gamedayId: 'g1',
    at: NINE + 60_000,
    kind: 'started',
    experimentId: 'exp-a',
    text: 'Started “CPU”',
    by: 'sam-sre',
  },
];

describe('game day report', () => {
  const report = gamedayReport({
    gameday,
    experiments: [
      {
        id: 'exp-a',
        name: 'CPU on checkout',
        hypothesis: '5xx stays under 1 %',
        service: 'checkout',
        environment: 'staging',
        state: 'aborted',
      },
    ],
    timeline,
    incidents: [
      {
        title: 'checkout (staging): test stopped',
        summary: 'Stopped.',
        state: 'resolved',
        openedAt: NINE + 90_000,
        resolvedAt: NINE + 600_000,
        experimentId: 'exp-a',
      },
    ],
  });

  it('starts with the escaped title and the window in UTC', () => {
    expect(report.split('\n').slice(0, 3)).toEqual([
      '# Checkout resilience \\| Q1',
      '',
      '**When:** 2025-01-06 09:00 UTC – 2025-01-06 11:00 UTC',
    ]);
  });

  it('lists experiments in order with their outcome, naming unknown ones by id', () => {
    expect(report).toContain(
      '### 1. CPU on checkout\n\n- Target: checkout in staging\n- Result: aborted\n- Hypothesis: 5xx stays under 1 %\n- Outcome: Refuted',
    );
    expect(report).toContain('### 2. exp-missing\n\n- Outcome: not judged yet');
  });

  it('shows who ticked runbook steps and when', () => {
    expect(report).toContain('- [x] Announce it — done by sam-sre at 2025-01-06 09:01 UTC');
    expect(report).toContain('- [ ] Start \\*CPU\\*');
  });

  it('puts the timeline in time order with note authors', () => {
    const started = report.indexOf('09:01 UTC — Started');
    const note = report.indexOf('09:02 UTC — Payments graphs look odd (note by dev-dana)');
    expect(started).toBeGreaterThan(0);
    expect(note).toBeGreaterThan(started);
  });

  it('carries findings, follow-ups with owners, and incidents', () => {
    expect(report).toContain('### What broke\n\nThe retry storm took payments down.');
    expect(report).toContain('### What surprised us\n\n_Nothing recorded._');
    expect(report).toContain('- [ ] Add a retry budget — owner: dev-dana');
    expect(report).toContain('opened 2025-01-06 09:01 UTC, resolved 2025-01-06 09:10 UTC');
  });

  it('names the file after the date and title', () => {
    expect(reportFileName(gameday)).toBe('gameday-2025-01-06-checkout-resilience-q1.md');
  });

  it.each([
    ['two\nlines', 'two lines'],
    ['[link](x)', '\\[link\\](x)'],
    ['<script>', '\\<script>'],
    ['#ops and 5xx > 1 %', '\\#ops and 5xx > 1 %'],
    ['C# > 1', 'C# > 1'],
  ])('keeps user text %j on one inert line', (input, output) => {
    expect(inlineMarkdown(input)).toBe(output);
  });
});

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '![x](https://evil.example/x.png)',
  '`code` and &lt;b&gt; and &#60;i&#62;',
  '    <iframe src="javascript:alert(1)"></iframe>',
  '<details open ontoggle=alert(1)>',
  '# heading\n> quote\n- item\n1. item',
].join('\n');

/** What a Markdown renderer could still read as markup once backslash escapes are taken out. */
function unescapedMarkup(markdown: string): string[] {
  const plain = markdown
    .replace(/^- \[[ x]\] /gm, '- ') // the report's own checklists
    .replace(/\\[\\`*_[\]<|&#>+=~.)-]/g, '');
  return [...plain.matchAll(/[<[`&]/g)].map((m) => plain.slice(m.index, m.index + 20));
}

describe('game day report with hostile text', () => {
  const hostile: Gameday = {
    ...gameday,
    title: HOSTILE,
    description: HOSTILE,
    participants: [{ name: HOSTILE, role: 'observer' }],
    runbook: [{ ...gameday.runbook[0]!, text: HOSTILE, tickedBy: HOSTILE }],
    findings: {
      broke: HOSTILE,
      surprised: HOSTILE,
      followUps: [{ action: HOSTILE, owner: HOSTILE, done: true }],
    },
    hypothesisOutcomes: [{ experimentId: 'exp-a', verdict: 'confirmed', comment: HOSTILE }],
  };
  const report = gamedayReport({
    gameday: hostile,
    experiments: [
      {
        id: 'exp-a',
        name: HOSTILE,
        hypothesis: HOSTILE,
        service: HOSTILE,
        environment: 'staging',
        state: 'running',
      },
    ],
    timeline: [{ ...timeline[0]!, text: HOSTILE, by: HOSTILE }],
    incidents: [
      {
        title: HOSTILE,
        summary: HOSTILE,
        state: 'open',
        openedAt: NINE,
        resolvedAt: null,
        experimentId: 'exp-a',
      },
    ],
  });

  it('escapes HTML, links, images, code and entities in every field, description and findings included', () => {
    expect(unescapedMarkup(report)).toEqual([]);
  });

  it('keeps the description and findings on their own lines, each line inert', () => {
    expect(blockMarkdown('first <b>\n\n  # second\n- third')).toBe(
      'first \\<b>\n\n\\# second\n\\- third',
    );
    expect(report).toContain('### What broke\n\n\\<script>alert(1)\\</script>\n');
    expect(report).toContain('### What surprised us\n\n\\<script>');
  });
});

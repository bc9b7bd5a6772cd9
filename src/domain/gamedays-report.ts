import type { Experiment } from './experiment';
import type { Gameday, HypothesisVerdict } from './gamedays';
import type { HypothesisJudgement } from './hypothesis';
import { orderTimeline, type TimelineEntry } from './gamedays-timeline';
import type { Incident } from './incidents';

export type ReportExperiment = Pick<
  Experiment,
  'id' | 'name' | 'hypothesis' | 'service' | 'environment' | 'state'
> & { run?: { verdict?: Pick<HypothesisJudgement, 'text'> | null } | null };

interface GamedayReportInput {
  gameday: Gameday;
  /** The game day's experiments as far as they are known; missing ones are named by id. */
  experiments: readonly ReportExperiment[];
  timeline: readonly TimelineEntry[];
  incidents?: readonly Pick<
    Incident,
    'title' | 'summary' | 'state' | 'openedAt' | 'resolvedAt' | 'experimentId'
  >[];
}

/** "2025-01-06 09:00 UTC": reports are read across time zones, so they say which one. */
function formatUtc(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * One line of user text inside Markdown: no line breaks, no accidental markup (emphasis,
 * links, HTML, table cells). "#" and ">" matter only at the start of a line.
 */
export function inlineMarkdown(text: string): string {
  return escapeLine(text.replace(/\s*\n\s*/g, ' ').trim());
}

/** Backslash-escapes every character that could start markup inside a line (CommonMark allows it on any ASCII punctuation). */
function escapeLine(line: string): string {
  return line
    .replace(/([\\`*_[\]<|&])/g, '\\$1')
    .replace(/^([#>+=~-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * Several lines of user text (a description, findings) inside Markdown: the line breaks stay,
 * every line is inert text (no HTML, links, code, headings, lists or indented code blocks).
 */
export function blockMarkdown(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeLine(line.trim()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const VERDICT_WORDS: Record<HypothesisVerdict, string> = {
  confirmed: 'Confirmed: the system behaved as expected',
  refuted: 'Refuted: the system did not behave as expected',
  inconclusive: 'Inconclusive',
};

function block(text: string, empty: string): string[] {
  const escaped = blockMarkdown(text);
  return [escaped === '' ? `_${empty}_` : escaped, ''];
}

/** The game day as a Markdown document: plan, what happened, and what was learned. */
export function gamedayReport({
  gameday,
  experiments,
  timeline,
  incidents = [],
}: GamedayReportInput): string {
  const byId = new Map(experiments.map((e) => [e.id, e]));
  const nameOf = (id: string | null) => (id ? inlineMarkdown(byId.get(id)?.name ?? id) : '');
  const lines: string[] = [`# ${inlineMarkdown(gameday.title)}`, ''];
  lines.push(`**When:** ${formatUtc(gameday.startsAt)} – ${formatUtc(gameday.endsAt)}`, '');
  if (gameday.description.trim()) lines.push(blockMarkdown(gameday.description), '');

  lines.push('## Participants', '');
  if (gameday.participants.length === 0) lines.push('_Nobody listed._');
  for (const p of gameday.participants) lines.push(`- ${inlineMarkdown(p.name)} (${p.role})`);
  lines.push('');

  lines.push('## Experiments', '');
  if (gameday.experimentIds.length === 0) lines.push('_None planned._', '');
  gameday.experimentIds.forEach((id, index) => {
    const experiment = byId.get(id);
    const outcome = gameday.hypothesisOutcomes.find((o) => o.experimentId === id);
    lines.push(`### ${index + 1}. ${nameOf(id)}`, '');
    if (experiment) {
      lines.push(`- Target: ${inlineMarkdown(experiment.service)} in ${experiment.environment}`);
      lines.push(`- Result: ${experiment.state}`);
      lines.push(`- Hypothesis: ${inlineMarkdown(experiment.hypothesis)}`);
      if (experiment.run) {
        const verdict = experiment.run.verdict;
        lines.push(
          '- Judge (target against control): ' +
            (verdict
              ? inlineMarkdown(verdict.text)
              : 'no verdict (the run has not ended, or was interrupted)'),
        );
      }
    }
    lines.push(`- Outcome: ${outcome ? VERDICT_WORDS[outcome.verdict] : 'not judged yet'}`);
    if (outcome?.comment.trim()) lines.push(`- Comment: ${inlineMarkdown(outcome.comment)}`);
    lines.push('');
  });

  lines.push('## Runbook', '');
  if (gameday.runbook.length === 0) lines.push('_No steps._');
  for (const step of gameday.runbook) {
    const done =
      step.tickedAt !== null
        ? ` — done by ${inlineMarkdown(step.tickedBy ?? '?')} at ${formatUtc(step.tickedAt)}`
        : '';
    lines.push(`- [${step.tickedAt !== null ? 'x' : ' '}] ${inlineMarkdown(step.text)}${done}`);
  }
  lines.push('');

  lines.push('## Timeline', '');
  if (timeline.length === 0) lines.push('_Nothing recorded._');
  for (const entry of orderTimeline(timeline)) {
    const who = entry.kind === 'note' && entry.by ? ` (note by ${inlineMarkdown(entry.by)})` : '';
    lines.push(`- ${formatUtc(entry.at)} — ${inlineMarkdown(entry.text)}${who}`);
  }
  lines.push('');

  if (incidents.length > 0) {
    lines.push('## Incidents', '');
    for (const incident of incidents) {
      const resolved =
        incident.resolvedAt !== null
          ? `, resolved ${formatUtc(incident.resolvedAt)}`
          : ', still open';
      lines.push(
        `- **${inlineMarkdown(incident.title)}** (opened ${formatUtc(incident.openedAt)}${resolved}): ${inlineMarkdown(incident.summary)}`,
      );
    }
    lines.push('');
  }

  lines.push('## Findings', '', '### What broke', '');
  lines.push(...block(gameday.findings.broke, 'Nothing recorded.'));
  lines.push('### What surprised us', '');
  lines.push(...block(gameday.findings.surprised, 'Nothing recorded.'));
  lines.push('### Follow-up actions', '');
  if (gameday.findings.followUps.length === 0) lines.push('_None._');
  for (const f of gameday.findings.followUps) {
    lines.push(
      `- [${f.done ? 'x' : ' '}] ${inlineMarkdown(f.action)} — owner: ${inlineMarkdown(f.owner)}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** A file name for the report: "gameday-2025-01-06-checkout-resilience.md". */
export function reportFileName(gameday: Pick<Gameday, 'title' | 'startsAt'>): string {
  const slug = gameday.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `gameday-${formatUtc(gameday.startsAt).slice(0, 10)}${slug ? `-${slug}` : ''}.md`;
}

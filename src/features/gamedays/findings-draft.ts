import type { FollowUp, Gameday, HypothesisOutcome } from '@/domain/gamedays';
import { useGamedayDrafts } from './gameday-drafts';

export interface FindingsDraft {
  broke: string;
  surprised: string;
  followUps: FollowUp[];
  outcomes: Record<string, Pick<HypothesisOutcome, 'verdict' | 'comment'> | undefined>;
}

export function draftOfFindings(gameday: Gameday): FindingsDraft {
  return {
    broke: gameday.findings.broke,
    surprised: gameday.findings.surprised,
    followUps: gameday.findings.followUps,
    outcomes: Object.fromEntries(
      gameday.hypothesisOutcomes.map((o) => [
        o.experimentId,
        { verdict: o.verdict, comment: o.comment },
      ]),
    ),
  };
}

/**
 * The findings being written: the stored findings until someone types, then their draft,
 * kept across reloads until it is saved. `conflict`: someone else saved different findings
 * since the draft began (a runbook tick bumps the version too, so only the findings count).
 */
export function useFindingsDraft(gameday: Gameday) {
  const stored = useGamedayDrafts((s) => s.findings[gameday.id]);
  const setFindings = useGamedayDrafts((s) => s.setFindings);
  const theirs = draftOfFindings(gameday);
  const theirsText = JSON.stringify(theirs);
  const draft = stored?.draft ?? theirs;
  const conflict =
    stored !== undefined &&
    stored.base !== theirsText &&
    JSON.stringify(stored.draft) !== theirsText;
  return {
    draft,
    conflict,
    edit: (change: Partial<FindingsDraft>) =>
      setFindings(gameday.id, { draft: { ...draft, ...change }, base: stored?.base ?? theirsText }),
    /** Drops the draft for what is stored now. */
    reload: () => setFindings(gameday.id, null),
    forget: () => setFindings(gameday.id, null),
  };
}

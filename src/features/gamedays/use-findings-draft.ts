import type { Gameday } from '@/domain/gamedays';
import { draftOfFindings, type FindingsDraft } from './findings-draft';
import { useGamedayDrafts } from './gameday-drafts';

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

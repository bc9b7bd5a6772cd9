import type { FollowUp, Gameday, HypothesisOutcome } from '@/domain/gamedays';

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

import {
  gamedayReport,
  reportFileName,
  type Gameday,
  type ReportExperiment,
  type TimelineEntry,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { experimentStore } from '../store/experiment-store';
import { incidentStore } from '../status/incident-store';

/** The Markdown report of a game day, from what the server holds now. */
export function gamedayReportFor(
  ctx: CoreContext,
  gameday: Gameday,
  timeline: readonly TimelineEntry[],
): { fileName: string; markdown: string } {
  const experiments = experimentStore(ctx.db);
  const known: ReportExperiment[] = gameday.experimentIds.flatMap((id) => {
    const experiment = experiments.get(id);
    return experiment ? [experiment] : [];
  });
  const incidents = incidentStore(ctx.db).forExperiments(gameday.experimentIds);
  return {
    fileName: reportFileName(gameday),
    markdown: gamedayReport({ gameday, experiments: known, timeline, incidents }),
  };
}

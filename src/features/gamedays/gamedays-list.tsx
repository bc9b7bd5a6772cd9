import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { gamedayListQuery } from '@/lib/queries/gamedays';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { gamedayPhase } from '@/domain/gamedays';
import { useNow } from '@/lib/use-now';
import { dayAndTime } from './when';

const PHASE_STYLE = {
  scheduled: 'text-muted',
  'in-progress': 'text-warn font-semibold',
  finished: 'text-ok',
} as const;
const PHASE_WORDS = {
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  finished: 'Finished',
} as const;

/** Every game day, latest first. */
export function GamedaysList() {
  const backend = useBackend();
  const list = useQuery(gamedayListQuery(backend));
  const canPlan = useCan('gameday.write');
  const now = useNow(30_000);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-black">Game days</h1>
        {canPlan && (
          <Link
            to="/gamedays/new"
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-bg hover:brightness-110"
          >
            Plan a game day
          </Link>
        )}
      </div>
      {list.error && <ErrorMessage error={list.error} retry={() => void list.refetch()} />}
      {list.data?.length === 0 && (
        <p className="text-muted">
          No game day yet. Plan one to run experiments together, with a runbook and a shared
          timeline.
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <table className="w-full border-collapse text-left text-sm">
          <thead className="border-b border-line text-muted">
            <tr>
              <th scope="col" className="py-2 pr-4">
                Game day
              </th>
              <th scope="col" className="py-2 pr-4">
                When
              </th>
              <th scope="col" className="py-2 pr-4">
                State
              </th>
              <th scope="col" className="py-2 pr-4">
                Experiments
              </th>
              <th scope="col" className="py-2 pr-4">
                Runbook
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((g) => {
              const phase = gamedayPhase(g, now);
              return (
                <tr key={g.id} className="border-b border-line/60">
                  <th scope="row" className="py-2 pr-4">
                    <Link to={`/gamedays/${g.id}`} className="font-semibold hover:underline">
                      {g.title}
                    </Link>
                  </th>
                  <td className="py-2 pr-4">
                    {dayAndTime(g.startsAt)} – {dayAndTime(g.endsAt)}
                  </td>
                  <td className={`py-2 pr-4 ${PHASE_STYLE[phase]}`}>{PHASE_WORDS[phase]}</td>
                  <td className="py-2 pr-4">{g.experimentIds.length}</td>
                  <td className="py-2 pr-4">
                    {g.runbook.filter((s) => s.tickedAt !== null).length} of {g.runbook.length} done
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

import { uptimePercent, type DayState } from '@/domain/status';
import { STATE_LOOK } from './state-label';

function summary(service: string, days: readonly DayState[]): string {
  const count = (state: DayState['state']) => days.filter((d) => d.state === state).length;
  const parts = [
    `${count('operational')} operational`,
    `${count('degraded')} degraded`,
    `${count('outage')} with an outage`,
    `${count(null)} without data`,
  ];
  return `${service}, last ${days.length} days: ${parts.join(', ')}`;
}

/** One bar per day, oldest on the left; plain divs so the page needs no chart library. */
export function HistoryStrip({ service, days }: { service: string; days: readonly DayState[] }) {
  const uptime = uptimePercent(days);
  return (
    <figure className="m-0 flex flex-col gap-1">
      <div role="img" aria-label={summary(service, days)} className="flex h-8 items-stretch gap-px">
        {days.map((day) => {
          const look = STATE_LOOK[day.state ?? 'unknown'];
          return (
            <div
              key={day.day}
              data-state={day.state ?? 'unknown'}
              title={`${day.day}: ${look.word}`}
              className={`min-w-0 flex-1 rounded-[1px] ${look.fill}`}
            />
          );
        })}
      </div>
      <figcaption className="flex justify-between text-xs text-muted">
        <span>{days.length} days ago</span>
        <span>{uptime === null ? 'no data yet' : `${uptime} % of days operational`}</span>
        <span>today</span>
      </figcaption>
    </figure>
  );
}

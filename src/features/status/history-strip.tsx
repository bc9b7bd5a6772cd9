import type { DayState, Uptime } from '@/domain/status';
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

const percent = (value: number | null) =>
  value === null ? 'no data yet' : `${value.toFixed(2)} %`;

/** Uptime over each period, as a manager reads it: "30 days 99.95 %". */
function UptimeFigures({ service, uptime }: { service: string; uptime: readonly Uptime[] }) {
  return (
    <dl
      role="group"
      aria-label={`${service} uptime in production`}
      className="flex flex-wrap gap-x-4 text-sm"
    >
      {uptime.map((u) => (
        <div key={u.days} className="flex gap-1">
          <dt className="text-muted">Uptime, last {u.days} days:</dt>
          <dd className="m-0 font-semibold tabular-nums">{percent(u.percent)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Production's days, one bar each, oldest on the left, and the uptime they add up to; plain divs so the page needs no chart library. */
export function HistoryStrip({
  service,
  days,
  uptime,
}: {
  service: string;
  days: readonly DayState[];
  uptime: readonly Uptime[];
}) {
  return (
    <figure className="m-0 flex flex-col gap-1">
      <UptimeFigures service={service} uptime={uptime} />
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
        <span>in production</span>
        <span>today</span>
      </figcaption>
    </figure>
  );
}

import { RecentStops } from './recent-stops';
import { RunningExperiments } from './running-experiments';
import { ServiceHealthTable } from './service-health-table';

/** The first screen: what runs, how the services are, what was stopped and why. */
export function Overview() {
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-bold">Overview</h1>
      <RunningExperiments />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-8 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <ServiceHealthTable />
        <RecentStops />
      </div>
    </div>
  );
}

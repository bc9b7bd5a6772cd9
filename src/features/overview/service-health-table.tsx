import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import { ENVIRONMENTS } from '@/domain/environments';
import type { MetricSample } from '@/domain/metrics';
import { stateFromMetrics, type ServiceState } from '@/domain/status';
import { formatMetric } from '@/lib/format';

/** The same judgement as the public status page, so the two never disagree. */
const HEALTH_STYLE: Record<ServiceState, string> = {
  operational: 'text-ok',
  degraded: 'text-warn',
  outage: 'text-danger',
};

/** The newest whole-service sample of every service, per environment, from the live stream. */
export function ServiceHealthTable() {
  const latest = useLiveMetrics((s) => s.latest);
  const byService = new Map<string, Map<string, MetricSample>>();
  for (const sample of Object.values(latest)) {
    if (sample.group !== 'all' || sample.cohort) continue;
    const row = byService.get(sample.service) ?? new Map<string, MetricSample>();
    row.set(sample.environment, sample);
    byService.set(sample.service, row);
  }
  const services = [...byService.keys()].sort();
  return (
    <section aria-labelledby="health-heading" className="flex flex-col gap-2">
      <h2 id="health-heading" className="text-lg font-bold">
        Service health
      </h2>
      {services.length === 0 ? (
        <p className="text-muted">Waiting for the first samples from the live stream…</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left text-sm">
            <thead className="border-b border-line text-muted">
              <tr>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  Service
                </th>
                {ENVIRONMENTS.map((env) => (
                  <th key={env} scope="col" className="py-2 pr-4 font-semibold">
                    {env}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {services.map((service) => (
                <tr key={service} className="border-b border-line/60">
                  <th scope="row" className="py-2 pr-4 font-semibold">
                    {service}
                  </th>
                  {ENVIRONMENTS.map((env) => {
                    const sample = byService.get(service)?.get(env);
                    if (!sample)
                      return (
                        <td key={env} className="py-2 pr-4 text-muted">
                          –
                        </td>
                      );
                    const health = stateFromMetrics(sample.values);
                    return (
                      <td key={env} className="py-2 pr-3">
                        <span
                          className={`font-semibold ${HEALTH_STYLE[health.state]}`}
                          title={health.reasons.join('; ') || undefined}
                        >
                          {health.state}
                        </span>
                        {sample.values.request_rate > 0 ? (
                          <>
                            <span className="block whitespace-nowrap text-xs text-muted">
                              5xx {formatMetric('http_5xx_rate', sample.values.http_5xx_rate)}
                            </span>
                            <span className="block whitespace-nowrap text-xs text-muted">
                              p99 {formatMetric('latency_p99', sample.values.latency_p99)}
                            </span>
                          </>
                        ) : (
                          // No requests measured: a 0 % 5xx rate and a 0 ms p99 would say
                          // nothing true.
                          <span className="block whitespace-nowrap text-xs text-muted">
                            no requests
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

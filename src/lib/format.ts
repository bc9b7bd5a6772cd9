import { METRIC_INFO, type Metric } from '@/domain/metrics';

/** "3 s", "2 min", "1 h 4 min": how old something is, coarse enough to read at a glance. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// One formatter each, made once: toLocale*String builds a new one on every call, which
// costs more than a chart's whole update when axes format their ticks.
const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const dateTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const dateTimeSeconds = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** "6 Jan 2025, 09:00:02": a full time, for records read later (the audit log). */
export function formatDateTimeSeconds(epochMs: number): string {
  return dateTimeSeconds.format(epochMs);
}

/** "12:04:31" in the viewer's time zone. */
export function formatClock(epochMs: number): string {
  return clock.format(epochMs);
}

/** "12 Mar, 12:04" */
export function formatDateTime(epochMs: number): string {
  return dateTime.format(epochMs);
}

/** A metric value with its unit and a precision that suits its size: "0.42 %", "312 ms". */
export function formatMetric(metric: Metric, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const unit = METRIC_INFO[metric].unit;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

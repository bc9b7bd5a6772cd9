import type { ServiceState } from '@/domain/status';

/** Colour plus a shape and a word: the state reads without colour vision. */
export const STATE_LOOK: Record<
  ServiceState | 'unknown',
  { word: string; icon: string; text: string; fill: string }
> = {
  operational: { word: 'Operational', icon: '●', text: 'text-ok', fill: 'bg-ok' },
  degraded: { word: 'Degraded', icon: '▲', text: 'text-warn', fill: 'bg-warn' },
  outage: { word: 'Outage', icon: '■', text: 'text-danger', fill: 'bg-danger' },
  unknown: { word: 'No data', icon: '○', text: 'text-muted', fill: 'bg-line' },
};

export function StateLabel({
  state,
  className = '',
}: {
  state: ServiceState | null;
  className?: string;
}) {
  const look = STATE_LOOK[state ?? 'unknown'];
  return (
    <span className={`inline-flex items-center gap-1.5 font-semibold ${look.text} ${className}`}>
      <span aria-hidden="true">{look.icon}</span>
      {look.word}
    </span>
  );
}

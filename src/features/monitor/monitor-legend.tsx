import { DEFAULT_SERIES_LABELS, type SeriesLabels } from './monitor-plan';

export function MonitorLegend({ labels = DEFAULT_SERIES_LABELS }: { labels?: SeriesLabels }) {
  const items = [
    { label: `${labels.target} (${labels.targetMeaning})`, swatch: 'border-t-[3px] border-target' },
    {
      label: `${labels.control} (${labels.controlMeaning})`,
      swatch: 'border-t-[3px] border-control',
    },
    { label: 'whole service', swatch: 'border-t-2 border-dashed border-service' },
    { label: 'abort threshold', swatch: 'border-t-2 border-dashed border-danger' },
  ];
  return (
    <ul aria-label="Chart legend" className="flex flex-wrap gap-x-5 gap-y-1 text-sm text-muted">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-2">
          <span aria-hidden="true" className={`inline-block w-6 ${item.swatch}`} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

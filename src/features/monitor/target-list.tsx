/** The instances in the blast radius, by id. */
export function TargetList({ targets }: { targets: string[] }) {
  if (targets.length === 0) return null;
  return (
    <div className="text-sm">
      <span className="text-muted">Instances hit: </span>
      <ul aria-label="Instances hit" className="inline">
        {targets.map((id, i) => (
          <li key={id} className="inline font-mono text-xs">
            {id}
            {i < targets.length - 1 ? ', ' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

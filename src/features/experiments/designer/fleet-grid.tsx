import { AGENT_LABEL, type BlastRadius, type Instance, type ResolvedBlastRadius } from '@/domain';

type Scope = BlastRadius['scope'];

/** How the blast radius treats an instance; null for an instance outside the scope and not hit. */
type InstanceMark = 'selected' | 'affected' | 'matching' | 'outside';

const MARK_WORDS: Record<InstanceMark, string> = {
  selected: 'selected',
  affected: 'hit with its host',
  matching: 'matches, not selected',
  outside: 'not matching',
};

const MARK_STYLES: Record<InstanceMark, string> = {
  selected: 'border-target bg-target/80 text-bg',
  affected: 'border-target bg-target/30',
  matching: 'border-accent/70 bg-raised',
  outside: 'border-line bg-surface opacity-50',
};

interface FleetGridProps {
  instances: readonly Instance[];
  scope: Scope;
  resolved: ResolvedBlastRadius;
  selector: Record<string, string>;
  onToggleLabel: (key: string, value: string) => void;
}

function markOf(
  instance: Instance,
  scope: Scope,
  selected: Set<string>,
  matching: Set<string>,
): InstanceMark | null {
  const kind = scope === 'hosts' ? 'host' : 'container';
  if (instance.kind === kind)
    return selected.has(instance.id)
      ? 'selected'
      : matching.has(instance.id)
        ? 'matching'
        : 'outside';
  if (instance.kind === 'container' && selected.has(instance.hostId)) return 'affected';
  return null;
}

const nameOf = (instance: Instance, mark: InstanceMark | null) =>
  `${instance.kind} ${instance.id}${mark ? `: ${MARK_WORDS[mark]}` : ''}`;

/** Distinct values of a label, sorted, with instances lacking it last. */
function groupBy(instances: readonly Instance[], label: string): [string, Instance[]][] {
  const groups = new Map<string, Instance[]>();
  for (const instance of instances) {
    const value = instance.labels[label] ?? '—';
    groups.set(value, [...(groups.get(value) ?? []), instance]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function LabelToggle({
  label,
  value,
  pressed,
  onToggle,
}: {
  label: string;
  value: string;
  pressed: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onToggle}
      title={pressed ? `Stop selecting by ${label}=${value}` : `Select only ${label}=${value}`}
      className={
        'rounded-full border px-2 py-0.5 text-xs font-semibold ' +
        (pressed ? 'border-accent bg-accent text-bg' : 'border-line text-muted hover:border-fg')
      }
    >
      {label} {value}
    </button>
  );
}

/**
 * The service's fleet in one environment: hosts with their containers, grouped by zone and
 * version, marked with what the blast radius selects. The zone and version headings toggle the
 * label selector, so the target can be picked on the picture.
 */
export function FleetGrid({ instances, scope, resolved, selector, onToggleLabel }: FleetGridProps) {
  const selected = new Set(resolved.selected.map((i) => i.id));
  const matching = new Set(resolved.matching.map((i) => i.id));
  const hosts = instances.filter((i) => i.kind === 'host');
  const containersOf = (hostId: string) =>
    instances.filter((i) => i.kind === 'container' && i.hostId === hostId);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3 text-xs text-muted" aria-hidden="true">
        {(['selected', 'affected', 'matching', 'outside'] as const).map((mark) => (
          <span key={mark} className="flex items-center gap-1">
            <span className={`inline-block h-3 w-3 rounded-sm border ${MARK_STYLES[mark]}`} />
            {MARK_WORDS[mark]}
          </span>
        ))}
        <span className="ml-auto">Press a zone or a version to target only it.</span>
      </div>
      <div className="flex flex-wrap gap-3">
        {groupBy(hosts, 'zone').map(([zone, zoneHosts]) => (
          <div
            key={zone}
            role="group"
            aria-label={`zone ${zone}`}
            className="min-w-40 flex-1 rounded-md border border-line p-2"
          >
            <LabelToggle
              label="zone"
              value={zone}
              pressed={selector.zone === zone}
              onToggle={() => onToggleLabel('zone', zone)}
            />
            {groupBy(zoneHosts, 'version').map(([version, versionHosts]) => (
              <div key={version} className="mt-2">
                <LabelToggle
                  label="version"
                  value={version}
                  pressed={selector.version === version}
                  onToggle={() => onToggleLabel('version', version)}
                />
                <ul
                  className="mt-1 flex flex-col gap-1.5"
                  aria-label={`hosts in zone ${zone}, version ${version}`}
                >
                  {versionHosts.map((host) => {
                    const hostMark = markOf(host, scope, selected, matching);
                    return (
                      <li
                        key={host.id}
                        aria-label={nameOf(host, hostMark)}
                        data-mark={hostMark ?? undefined}
                        className={`rounded border p-1 ${hostMark ? MARK_STYLES[hostMark] : 'border-line'}`}
                      >
                        <span
                          aria-hidden="true"
                          className="block truncate font-mono text-[10px] text-muted"
                        >
                          {host.id}
                          {host.labels[AGENT_LABEL] !== undefined &&
                            ` · agent on ${host.labels[AGENT_LABEL]}`}
                        </span>
                        <ul
                          className="mt-1 flex flex-wrap gap-1"
                          aria-label={`containers on ${host.id}`}
                        >
                          {containersOf(host.id).map((container) => {
                            const mark = markOf(container, scope, selected, matching);
                            return (
                              <li
                                key={container.id}
                                aria-label={nameOf(container, mark)}
                                data-mark={mark ?? undefined}
                                title={nameOf(container, mark)}
                                className={`h-5 w-5 rounded-sm border ${mark ? MARK_STYLES[mark] : 'border-line bg-surface'}`}
                              />
                            );
                          })}
                        </ul>
                      </li>
                    );
                  })}
                </ul>
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

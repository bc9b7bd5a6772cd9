import { useSearchParams } from 'react-router';
import { ENVIRONMENTS, type Environment } from '@/domain/environments';
import { FLAG_TYPES, flagTypeOf, type Flag, type FlagType } from '@/domain/flags';
import { useViewSettings } from '@/lib/view-settings';

export interface FlagFilter {
  /** Words to find in the key or the description. */
  text: string;
  environment: Environment;
  /** Only flags in this state in `environment`; null: any. */
  state: 'on' | 'off' | null;
  type: FlagType | null;
  service: string | null;
}

export function filterFlags(flags: readonly Flag[], filter: FlagFilter): Flag[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return flags.filter((flag) => {
    const haystack = `${flag.key} ${flag.description}`.toLowerCase();
    if (!words.every((w) => haystack.includes(w))) return false;
    if (filter.state && flag.environments[filter.environment].state !== filter.state) return false;
    if (filter.type && flagTypeOf(flag) !== filter.type) return false;
    if (filter.service && !flag.services.includes(filter.service)) return false;
    return true;
  });
}

const oneOf = <T extends string>(options: readonly T[], value: string | null): T | null =>
  (options as readonly string[]).includes(value ?? '') ? (value as T) : null;

/** The list's filter, kept in the address so it survives a reload and can be shared. */
export function useFlagFilter(): [FlagFilter, (next: Partial<FlagFilter>) => void] {
  const [params, setParams] = useSearchParams();
  const inView = useViewSettings((s) => s.environment);
  const filter: FlagFilter = {
    text: params.get('q') ?? '',
    environment: oneOf(ENVIRONMENTS, params.get('env')) ?? inView,
    state: oneOf(['on', 'off'] as const, params.get('state')),
    type: oneOf(FLAG_TYPES, params.get('type')),
    service: params.get('service') || null,
  };
  const update = (next: Partial<FlagFilter>) => {
    const merged = { ...filter, ...next };
    const out = new URLSearchParams();
    if (merged.text) out.set('q', merged.text);
    if (merged.environment !== inView) out.set('env', merged.environment);
    if (merged.state) out.set('state', merged.state);
    if (merged.type) out.set('type', merged.type);
    if (merged.service) out.set('service', merged.service);
    setParams(out, { replace: true });
  };
  return [filter, update];
}

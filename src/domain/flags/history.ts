import { ENVIRONMENTS } from '../environments';
import type { FlagSpec } from './flag';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What an edit changed, in words: "production: off; rules in staging; default variant". */
export function describeFlagChange(before: FlagSpec | null, after: FlagSpec | null): string {
  if (!before && after) return 'created';
  if (before && !after) return 'deleted';
  if (!before || !after) return '';
  const parts: string[] = [];
  if (before.description !== after.description) parts.push('description');
  if (!same(before.services, after.services)) parts.push('services');
  if (!same(before.variants, after.variants)) parts.push('variants');
  if (before.defaultVariant !== after.defaultVariant)
    parts.push(`default variant ${before.defaultVariant} → ${after.defaultVariant}`);
  if (before.offVariant !== after.offVariant)
    parts.push(`off variant ${before.offVariant} → ${after.offVariant}`);
  if (!same(before.fallbackValue, after.fallbackValue))
    parts.push(
      `fallback value ${JSON.stringify(before.fallbackValue)} → ${JSON.stringify(after.fallbackValue)}`,
    );
  for (const environment of ENVIRONMENTS) {
    const was = before.environments[environment];
    const now = after.environments[environment];
    if (was.state !== now.state) parts.push(`${environment}: ${now.state}`);
    if (!same(was.rules, now.rules)) parts.push(`rules in ${environment}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'no change';
}

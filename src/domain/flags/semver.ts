/**
 * Semantic versions as flagd's `sem_ver` operation reads them: the strict SemVer 2.0 grammar
 * after one leading "v" or "V" is dropped, and a bare "1" or "1.2" is read as 1.0.0 or 1.2.0.
 * Anything else is no version, and a comparison with it is no match.
 */
interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Numeric identifiers as numbers, the others as strings. */
  prerelease: (string | number)[];
}

export const SEMVER_COMPARATORS = ['=', '!=', '<', '<=', '>', '>=', '^', '~'] as const;
export type SemVerComparator = (typeof SEMVER_COMPARATORS)[number];

export const SEMVER_COMPARATOR_LABELS: Record<SemVerComparator, string> = {
  '=': 'is',
  '!=': 'is not',
  '<': 'is before',
  '<=': 'is at most',
  '>': 'is after',
  '>=': 'is at least',
  '^': 'has the same major version as',
  '~': 'has the same minor version as',
};

/** Longest version string, in characters. */
const MAX_LENGTH = 256;
const NUMERIC = '0|[1-9]\\d*';
const NON_NUMERIC = '\\d*[a-zA-Z-][a-zA-Z0-9-]*';
const PRERELEASE_ID = `(?:${NUMERIC}|${NON_NUMERIC})`;
const BUILD_ID = '[a-zA-Z0-9-]+';
const FULL = new RegExp(
  `^v?(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})` +
    `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?` +
    `(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?$`,
);
const PARTIAL = /^\d+(\.\d+)?$/;
const ALL_DIGITS = /^[0-9]+$/;

function parseStrict(text: string): SemVer | null {
  if (text.length > MAX_LENGTH) return null;
  const m = FULL.exec(text.trim());
  if (!m) return null;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![major, minor, patch].every((n) => n <= Number.MAX_SAFE_INTEGER)) return null;
  const prerelease = m[4]
    ? m[4].split('.').map((id) => {
        if (!ALL_DIGITS.test(id)) return id;
        const n = Number(id);
        return n >= 0 && n < Number.MAX_SAFE_INTEGER ? n : id;
      })
    : [];
  return { major, minor, patch, prerelease };
}

/** Reads "1" as 1.0.0 and "1.2" as 1.2.0; every part has at most 16 digits. */
function coercePartial(text: string): SemVer | null {
  const parts = text.split('.');
  if (parts.some((p) => p.length > 16)) return null;
  return parseStrict(`${parts[0]}.${parts[1] ?? '0'}.0`);
}

export function parseSemVer(raw: unknown): SemVer | null {
  const text = String(raw).replace(/^[vV]/, '');
  return parseStrict(text) ?? (PARTIAL.test(text) ? coercePartial(text) : null);
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  const aNumeric = ALL_DIGITS.test(String(a));
  const bNumeric = ALL_DIGITS.test(String(b));
  const [x, y] = aNumeric && bNumeric ? [Number(a), Number(b)] : [a, b];
  if (x === y) return 0;
  if (aNumeric && !bNumeric) return -1;
  if (bNumeric && !aNumeric) return 1;
  return x < y ? -1 : 1;
}

/** -1, 0 or 1, by SemVer precedence (build metadata is ignored). */
function compareSemVer(a: SemVer, b: SemVer): number {
  for (const part of ['major', 'minor', 'patch'] as const) {
    if (a[part] !== b[part]) return a[part] < b[part] ? -1 : 1;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  for (let i = 0; ; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined && y === undefined) return 0;
    if (y === undefined) return 1;
    if (x === undefined) return -1;
    if (x !== y) return compareIdentifiers(x, y);
  }
}

/** flagd's `sem_ver`: null (no match) when either side is no version. */
export function semVerMatches(
  actual: unknown,
  comparator: SemVerComparator,
  expected: unknown,
): boolean | null {
  const a = parseSemVer(actual);
  const b = parseSemVer(expected);
  if (!a || !b) return null;
  const order = compareSemVer(a, b);
  switch (comparator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '^':
      return a.major === b.major;
    case '~':
      return a.major === b.major && a.minor === b.minor;
  }
}

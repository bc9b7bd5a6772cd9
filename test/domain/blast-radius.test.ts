import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affectedInstanceIds,
  blastRadiusSchema,
  blastRadiusSize,
  resolveBlastRadius,
  type BlastRadius,
} from '../../src/domain';
import { makeInstances } from './fixtures';

const radius = (r: Partial<BlastRadius>): BlastRadius =>
  blastRadiusSchema.parse({ scope: 'containers', selector: {}, mode: 'all', ...r });

describe('blast radius size', () => {
  it.each([
    { mode: 'all', value: undefined, matching: 12, expected: 12 },
    { mode: 'count', value: 3, matching: 12, expected: 3 },
    { mode: 'count', value: 30, matching: 12, expected: 12 },
    { mode: 'percent', value: 25, matching: 12, expected: 3 },
    { mode: 'percent', value: 26, matching: 12, expected: 4 },
    { mode: 'percent', value: 1, matching: 12, expected: 1 },
    { mode: 'percent', value: 0.01, matching: 3, expected: 1 },
    { mode: 'percent', value: 100, matching: 7, expected: 7 },
    { mode: 'percent', value: 14, matching: 100, expected: 14 },
    { mode: 'percent', value: 50, matching: 0, expected: 0 },
  ] as const)(
    '$mode $value of $matching selects $expected',
    ({ mode, value, matching, expected }) => {
      expect(blastRadiusSize({ mode, value }, matching)).toBe(expected);
    },
  );

  it('never selects more than ceil(p × n) nor fewer than 1 when p > 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        (p, n) => {
          const size = blastRadiusSize({ mode: 'percent', value: p }, n);
          expect(size).toBeGreaterThanOrEqual(1);
          expect(size).toBeLessThanOrEqual(Math.ceil((p * n) / 100 + 1e-9));
          expect(size).toBeLessThanOrEqual(n);
        },
      ),
    );
  });
});

describe('resolving a blast radius', () => {
  const instances = makeInstances(4);

  it('picks containers only when the scope is containers, and hosts only for hosts', () => {
    expect(
      resolveBlastRadius(radius({ scope: 'containers' }), instances).selected.every(
        (i) => i.kind === 'container',
      ),
    ).toBe(true);
    expect(
      resolveBlastRadius(radius({ scope: 'hosts' }), instances).selected.map((i) => i.id),
    ).toHaveLength(4);
  });

  it('matches every label of the selector', () => {
    const { matching } = resolveBlastRadius(
      radius({ selector: { zone: 'a', version: 'stable' } }),
      instances,
    );
    expect(matching.map((i) => i.hostId)).toEqual([
      'checkout-staging-h3',
      'checkout-staging-h3',
      'checkout-staging-h3',
    ]);
  });

  it('spreads a partial selection over zones', () => {
    const { selected } = resolveBlastRadius(
      radius({ scope: 'hosts', mode: 'count', value: 3 }),
      instances,
    );
    expect(new Set(selected.map((i) => i.labels.zone))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('selects the same instances for the same input, whatever the input order', () => {
    const forward = resolveBlastRadius(
      radius({ mode: 'percent', value: 40 }),
      instances,
    ).selected.map((i) => i.id);
    const backward = resolveBlastRadius(
      radius({ mode: 'percent', value: 40 }),
      [...instances].reverse(),
    ).selected.map((i) => i.id);
    expect(backward).toEqual(forward);
  });

  it('resolves to nothing when no instance matches', () => {
    expect(resolveBlastRadius(radius({ selector: { zone: 'z' } }), instances).selected).toEqual([]);
  });

  it('narrows the candidates to an inherited source first', () => {
    const { matching } = resolveBlastRadius(
      radius({}),
      instances,
      (i) => i.labels.version === 'canary',
    );
    expect(matching.every((i) => i.hostId === 'checkout-staging-h0')).toBe(true);
    expect(matching).toHaveLength(3);
  });

  it('takes a host’s containers along when the host is hit', () => {
    const host = instances.filter((i) => i.id === 'checkout-staging-h1');
    expect([...affectedInstanceIds(host, instances)].sort()).toEqual([
      'checkout-staging-h1',
      'checkout-staging-h1-c0',
      'checkout-staging-h1-c1',
      'checkout-staging-h1-c2',
    ]);
  });
});

describe('blast radius validation', () => {
  it.each([
    [{ mode: 'count', value: 0 }, 'value'],
    [{ mode: 'count', value: 2.5 }, 'value'],
    [{ mode: 'percent', value: 0 }, 'value'],
    [{ mode: 'percent', value: 120 }, 'value'],
    [{ mode: 'percent' }, 'value'],
    [{ mode: 'everything' }, 'mode'],
    [{ scope: 'pods' }, 'scope'],
    [{ selector: { 'bad key!': 'x' } }, 'selector.bad key!'],
  ])('rejects %j at %s', (input, path) => {
    const result = blastRadiusSchema.safeParse({
      scope: 'containers',
      selector: {},
      mode: 'all',
      ...input,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

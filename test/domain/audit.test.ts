import { describe, expect, it } from 'vitest';
import { auditListSchema } from '../../src/domain';

const entry = {
  id: 7,
  at: 1_736_154_000_000,
  actor: 'sam-sre',
  role: 'sre',
  action: 'experiment.start',
  targetType: 'experiment',
  targetId: 'e1',
  before: { state: 'draft' },
  after: { state: 'running' },
};

describe('audit entries', () => {
  it('accept a row with the record before and after', () => {
    expect(auditListSchema.parse({ entries: [entry] }).entries[0]).toEqual(entry);
  });

  it.each(['id', 'at', 'actor', 'action', 'targetId'])(
    'reject a row without %s, naming it',
    (field) => {
      const broken = { ...entry, [field]: undefined };
      const parsed = auditListSchema.safeParse({ entries: [broken] });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['entries', 0, field]);
    },
  );
});

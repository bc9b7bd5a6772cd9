import { describe, expect, it } from 'vitest';
import {
  ATTACK_INFO,
  TEMPLATE_IDS,
  TEMPLATES,
  buildFromTemplate,
  duplicateSpec,
  experimentSpecSchema,
  specForEnvironment,
  type TemplateId,
} from '../../src/domain';
import { cpuSpec } from './fixtures';

const expectedAttack: Record<TemplateId, string> = {
  'cpu-pressure': 'cpu',
  'dependency-latency': 'latency',
  'error-burst': 'error',
  'instance-shutdown': 'shutdown',
};

describe('templates', () => {
  it.each(TEMPLATE_IDS)('%s builds a spec the experiment schema accepts', (id) => {
    const spec = buildFromTemplate(id, { service: 'payments', environment: 'development' });
    const parsed = experimentSpecSchema.safeParse(spec);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toEqual(spec);
  });

  it.each(TEMPLATE_IDS)(
    '%s targets the chosen service and environment with its own attack',
    (id) => {
      const spec = buildFromTemplate(id, { service: 'search', environment: 'testing' });
      expect(spec.service).toBe('search');
      expect(spec.environment).toBe('testing');
      expect(spec.attack.type).toBe(expectedAttack[id]);
      expect(spec.name).toContain('search');
      expect(TEMPLATES[id].label).toBeTruthy();
    },
  );

  it.each(TEMPLATE_IDS)('%s keeps every magnitude inside its attack’s range', (id) => {
    const spec = buildFromTemplate(id, { service: 'search', environment: 'testing' });
    const range = ATTACK_INFO[spec.attack.type].magnitude;
    for (const step of spec.steps) {
      if (!range) expect(step.magnitude).toBeUndefined();
      else {
        expect(step.magnitude).toBeGreaterThanOrEqual(range.min);
        expect(step.magnitude).toBeLessThanOrEqual(range.max);
      }
    }
  });

  it('names the dependency in the latency template when one is given', () => {
    const spec = buildFromTemplate('dependency-latency', {
      service: 'checkout',
      environment: 'staging',
      dependency: 'payments',
    });
    expect(spec.name).toBe('Latency from checkout to payments');
    expect(spec.hypothesis).toContain('when payments answers slowly');
  });

  it('returns a fresh spec each time, so editing one does not change the next', () => {
    const first = buildFromTemplate('cpu-pressure', {
      service: 'checkout',
      environment: 'staging',
    });
    first.steps[0]!.magnitude = 99;
    const second = buildFromTemplate('cpu-pressure', {
      service: 'checkout',
      environment: 'staging',
    });
    expect(second.steps[0]!.magnitude).toBe(50);
  });
});

describe('starting from an earlier experiment', () => {
  it('duplicates the design under a new name, without sharing objects', () => {
    const original = cpuSpec();
    const copy = duplicateSpec(original);
    expect(copy.name).toBe('Copy of CPU pressure on checkout');
    expect({ ...copy, name: original.name }).toEqual(original);
    copy.steps[0]!.magnitude = 10;
    expect(original.steps[0]!.magnitude).toBe(50);
  });

  it('keeps a duplicate’s name within the schema’s 120 characters', () => {
    const copy = duplicateSpec(cpuSpec({ name: 'x'.repeat(120) }));
    expect(experimentSpecSchema.safeParse(copy).success).toBe(true);
  });

  it('carries the design to another environment unchanged but for the environment', () => {
    const original = cpuSpec();
    const next = specForEnvironment(original, 'production');
    expect(next.environment).toBe('production');
    expect({ ...next, environment: original.environment }).toEqual(original);
  });
});

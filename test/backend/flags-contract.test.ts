import { describe, expect, it } from 'vitest';
import type { FlagsCapability } from '@/backend/backend';
import type { FlagSpecInput } from '@/domain/flags';
import { contractServer, failure } from './contract-server';

// The flags part of the HTTP adapter against the real server, over a loopback socket.
const contract = contractServer();

async function flagsAs(user: string): Promise<FlagsCapability> {
  return (await contract.signIn(user)).flags!;
}

/** A boolean flag, on for the Netherlands in production and off elsewhere. */
function dutchFlag(key: string): FlagSpecInput {
  const off = { state: 'off' as const, rules: [] };
  return {
    key,
    description: 'New checkout for Dutch users',
    services: ['checkout'],
    variants: { on: true, off: false },
    defaultVariant: 'off',
    offVariant: 'off',
    fallbackValue: false,
    environments: {
      development: off,
      testing: off,
      staging: off,
      production: {
        state: 'on',
        rules: [
          {
            name: 'Dutch',
            conditions: [{ operator: 'in', attribute: 'country', values: ['NL'] }],
            serve: { kind: 'variant', variant: 'on' },
          },
        ],
      },
    },
  };
}

describe('the flags capability over HTTP', () => {
  it('exports an environment as a flagd document that imports back into another', async () => {
    const flags = await flagsAs('dev-dana');
    await flags.createFlag(dutchFlag('contract-export'));
    const exported = await flags.exportFlags('production');
    const flag = exported.flags['contract-export'];
    expect(flag).toMatchObject({ state: 'ENABLED', defaultVariant: 'off' });
    expect(flag?.variants).toEqual({ on: true, off: false });
    expect(flag?.targeting).toBeDefined();

    const renamed = { ...exported, flags: { 'contract-imported': flag } };
    expect(await flags.importFlags('testing', renamed)).toEqual({
      created: ['contract-imported'],
      updated: [],
      segmentsCreated: [],
      segmentsUpdated: [],
    });
    const imported = await flags.getFlag('contract-imported');
    expect(imported.environments.testing.state).toBe('on');
    expect(imported.environments.production.state).toBe('off');
  });

  it('turns the kill switch and back on, keeping the comment in the history', async () => {
    const flags = await flagsAs('dev-dana');
    await flags.createFlag(dutchFlag('contract-kill'));
    // Stopping is anyone's.
    const viewer = await flagsAs('vic-viewer');
    const killed = await viewer.killFlag('contract-kill', 'production', { comment: 'errors up' });
    expect(killed.environments.production.state).toBe('off');
    const enabled = await flags.enableFlag('contract-kill', 'production');
    expect(enabled.environments.production.state).toBe('on');
    const [latest, previous] = await flags.flagHistory('contract-kill');
    expect(latest).toMatchObject({ change: 'enabled', environment: 'production' });
    expect(previous).toMatchObject({ change: 'killed', comment: 'errors up', by: 'vic-viewer' });
  });

  it('turns refusals into domain errors: conflict, invalid with the field, forbidden, not found', async () => {
    const flags = await flagsAs('dev-dana');
    const created = await flags.createFlag(dutchFlag('contract-refusals'));
    await flags.updateFlag(created.key, created.version, dutchFlag('contract-refusals'));
    const stale = await failure(
      flags.updateFlag(created.key, created.version, dutchFlag('contract-refusals')),
    );
    expect(stale.kind).toBe('conflict');

    const noState = { flags: { broken: { variants: { on: true }, defaultVariant: 'on' } } };
    const invalid = await failure(flags.importFlags('staging', noState));
    expect(invalid.kind).toBe('invalid');
    expect(invalid.issues.map((i) => i.path)).toEqual(['document.flags.broken.state']);
    expect((await flags.listFlags()).map((f) => f.key)).not.toContain('broken');

    const viewer = await flagsAs('vic-viewer');
    expect((await failure(viewer.createFlag(dutchFlag('contract-viewer')))).kind).toBe('forbidden');
    expect((await failure(flags.getFlag('no-such-flag'))).kind).toBe('not-found');
  });
});

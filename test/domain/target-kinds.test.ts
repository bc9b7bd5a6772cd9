import { describe, expect, it } from 'vitest';
import {
  attackRefusal,
  ATTACK_TYPES,
  FLAG_SERVICE,
  targetKindOf,
  type AttackType,
  type Instance,
} from '@/domain';

type Target = Pick<Instance, 'id' | 'service' | 'labels'>;

const simulated: Target = { id: 'checkout-staging-h1', service: 'checkout', labels: { zone: 'a' } };
const agent: Target = {
  id: 'shop-1',
  service: 'checkout',
  labels: { zone: 'local', agent: 'laptop' },
};
const ofrep: Target = { id: 'ofrep-staging', service: FLAG_SERVICE, labels: {} };

describe('which attacks each kind of target takes', () => {
  it('tells the kinds apart', () => {
    expect([simulated, agent, ofrep].map(targetKindOf)).toEqual([
      'simulated',
      'agent',
      'flag-service',
    ]);
  });

  it.each<[string, Target, AttackType[]]>([
    ['a simulated instance', simulated, []],
    ['an agent target', agent, ['packet-loss']],
    ['the flag service', ofrep, ['cpu', 'memory', 'connection-drop', 'packet-loss']],
  ])('refuses on %s exactly %j', (_name, instance, refused) => {
    const actual = ATTACK_TYPES.filter((attack) => attackRefusal(attack, [instance]) !== null);
    expect(actual).toEqual(refused);
  });

  it('refuses connection drops on the flag service, saying its server never cuts connections', () => {
    expect(attackRefusal('connection-drop', [ofrep])).toBe(
      "Connection drops cannot run on ofrep-staging: the flag service's OFREP endpoint is served " +
        "by Faultline's own server, which never cuts connections: use error injection or an " +
        'outage (instance shutdown)',
    );
  });

  it('names the instances that cannot take the attack, and says why', () => {
    const many = [1, 2, 3, 4, 5].map((n) => ({ ...agent, id: `shop-${n}` }));
    expect(attackRefusal('packet-loss', [simulated, ...many])).toBe(
      'Packet loss cannot run on shop-1, shop-2, shop-3 and 2 more: packet loss needs kernel ' +
        'netem, which agent hosts do not have; use added latency or connection drops instead',
    );
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentConfigError, loadAgentConfig, parseAgentOptions } from '../../agent/config';
import { startUpstream } from './helpers';

const folder = mkdtempSync(path.join(tmpdir(), 'faultline-agent-config-'));
let upstream: Awaited<ReturnType<typeof startUpstream>>;
const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  sleeper.kill('SIGKILL');
  await upstream.close();
  rmSync(folder, { recursive: true, force: true });
});

function file(config: unknown): string {
  const name = path.join(folder, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(name, JSON.stringify(config));
  return name;
}

function target(overrides: Record<string, unknown> = {}) {
  return {
    name: 'checkout-1',
    service: 'checkout',
    environment: 'staging',
    process: { pid: sleeper.pid },
    ...overrides,
  };
}

async function refusal(config: unknown): Promise<string> {
  try {
    await loadAgentConfig(file(config));
  } catch (error) {
    expect(error).toBeInstanceOf(AgentConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('the agent configuration', () => {
  it('accepts targets that exist: a running pid, a program on the PATH, a listening port', async () => {
    const config = await loadAgentConfig(
      file({
        targets: [
          target({ http: { port: upstream.port, proxyPort: 0 + 41_000 } }),
          target({ name: 'worker-1', process: { command: ['sleep', '1'] } }),
        ],
      }),
    );
    expect(config.targets.map((t) => t.name)).toEqual(['checkout-1', 'worker-1']);
    expect(config.targets[0]?.labels).toEqual({});
  });

  it('refuses a pid that is not running, naming the field', async () => {
    const message = await refusal({
      targets: [target(), target({ name: 'b', process: { pid: 2 ** 22 + 7 } })],
    });
    expect(message).toContain('targets.1.process.pid');
    expect(message).toContain(`no process ${2 ** 22 + 7}`);
  });

  it('refuses a command whose program cannot be found', async () => {
    const message = await refusal({
      targets: [target({ process: { command: ['no-such-program-here', '--flag'] } })],
    });
    expect(message).toBe(
      'targets.0.process.command.0: no program "no-such-program-here" can be run',
    );
  });

  it('refuses an HTTP port nothing listens on', async () => {
    const closed = await startUpstream();
    await closed.close();
    const message = await refusal({
      targets: [target({ http: { port: closed.port, proxyPort: 41_001 } })],
    });
    expect(message).toContain(`targets.0.http.port: nothing listens on 127.0.0.1:${closed.port}`);
  });

  it('refuses two targets with one name, and one port used twice', async () => {
    const message = await refusal({
      targets: [
        target({ http: { port: upstream.port, proxyPort: 41_002 } }),
        target({ http: { port: 41_003, proxyPort: 41_002 } }),
      ],
    });
    expect(message).toContain('targets.1.name: "checkout-1" is already targets.0');
    expect(message).toContain(
      'targets.1.http.proxyPort: port 41002 is already used by targets.0.http.proxyPort',
    );
  });

  it('refuses a malformed instance name and an unknown environment', async () => {
    const message = await refusal({
      targets: [target({ name: 'Checkout 1', environment: 'prod' })],
    });
    expect(message).toMatch(/^targets\.0\.name: /m);
    expect(message).toMatch(/^targets\.0\.environment: /m);
  });

  it('takes the token from the environment and refuses a missing server URL', () => {
    const options = parseAgentOptions(
      ['--server', 'http://127.0.0.1:4400', '--config', 'targets.json'],
      { FAULTLINE_AGENT_TOKEN: 'fla_0123456789abcdef' },
    );
    expect(options).toMatchObject({ heartbeatTimeoutMs: 2_000, stressWorkers: 0 });
    expect(() =>
      parseAgentOptions(['--config', 'x.json'], { FAULTLINE_AGENT_TOKEN: 'fla_0123456789abcdef' }),
    ).toThrow(/^server: /);
  });
});

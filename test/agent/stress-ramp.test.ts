import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../../agent/agent';
import { loadAgentConfig } from '../../agent/config';
import { stressArgs } from '../../agent/stress';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import type { Experiment } from '../../src/domain';
import { childPids, cpuTicks, eventually, isRunning } from './helpers';

// A CPU experiment ramping through three steps on a target of a real Faultline agent (run in
// this process): the server's clock moves only when the test says, so each step begins when the
// test moves it there, and what is asserted is what the agent's stress-ng does at that step.

const STEPS = [30, 70, 90] as const;
/** Each step but the last lasts this long, in s (on the server's own clock). */
const STEP_SECONDS = 60;

/** The stress-ng pid an agent's report names ("stress-ng pid 4242, …"). */
const pidIn = (detail: string) => Number(/stress-ng pid (\d+)/.exec(detail)?.[1]);

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

describe('a CPU ramp on an agent target', { timeout: 60_000 }, () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'faultline-stress-ramp-'));
  const clock = new ManualClock(Date.now());
  const sleeper = spawn('sleep', ['120'], { stdio: 'ignore' });
  const agentLog: string[] = [];
  let faultline: FaultlineApp;
  let agent: Awaited<ReturnType<typeof startAgent>> | null = null;

  /**
   * Moves the server's clock on by `seconds`, in beats of 5 s, letting timers run between them:
   * the agent's lease and the server's pings share this process and must not starve.
   */
  async function advance(seconds: number) {
    for (let elapsed = 0; elapsed < seconds; elapsed += 5) {
      clock.advance(5_000);
      await faultline.engine.tick();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The agent's report of the experiment's fault on its target, once it matches `outcome`. */
  async function reported(faultId: string, outcome: string, load: number) {
    let last = '';
    const held = await eventually(() => {
      const fault = faultline.agents.hub.list()[0]?.faults.find((f) => f.faultId === faultId);
      last = JSON.stringify(fault ?? null);
      return (
        fault?.outcome === outcome && cmdline(pidIn(fault.detail)).includes(`--cpu-load ${load}`)
      );
    }, 10_000);
    expect(held, `${last}\n${agentLog.join('\n')}`).toBe(true);
    const fault = faultline.agents.hub.list()[0]!.faults.find((f) => f.faultId === faultId)!;
    return pidIn(fault.detail);
  }

  /** The stress-ng's worker uses CPU: its tick count grows (ticks are 10 ms each). */
  async function burns(stressPid: number) {
    const worker = childPids(stressPid)[0];
    expect(worker, `stress-ng ${stressPid} has no worker`).toBeDefined();
    const before = cpuTicks(worker!);
    expect(await eventually(() => cpuTicks(worker!) > before + 2, 10_000)).toBe(true);
  }

  beforeAll(async () => {
    faultline = await buildApp({ database: ':memory:', clock, ticking: false, sampleData: false });
    await faultline.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(faultline.app.server.address() as AddressInfo).port}`;
    const admin = (
      await faultline.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { user: 'ada-admin' },
      })
    ).json().token as string;
    const token = (
      await faultline.app.inject({
        method: 'POST',
        url: '/api/v1/agent-tokens',
        headers: { authorization: `Bearer ${admin}` },
        payload: { name: 'ramp' },
      })
    ).json().token as string;
    const targets = path.join(folder, 'targets.json');
    writeFileSync(
      targets,
      JSON.stringify({
        targets: [
          {
            name: 'ramp-1',
            service: 'checkout',
            environment: 'staging',
            labels: { zone: 'a' },
            process: { pid: sleeper.pid },
          },
        ],
      }),
    );
    agent = await startAgent(
      { server: base, token, config: targets, heartbeatTimeoutMs: 2_000, stressWorkers: 1 },
      await loadAgentConfig(targets),
      (line) => agentLog.push(line),
    );
    const online = await eventually(
      () => faultline.agents.hub.list().some((a) => a.online),
      20_000,
    );
    expect(online, agentLog.join('\n')).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await faultline?.app.close();
    sleeper.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  }, 30_000);

  it("moves the stress-ng to each step's CPU load in place, and halt ends it", async () => {
    const sre = (
      await faultline.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { user: 'sam-sre' },
      })
    ).json().token as string;
    const call = (method: 'POST', url: string, payload: object) =>
      faultline.app.inject({ method, url, headers: { authorization: `Bearer ${sre}` }, payload });
    const created = (
      await call('POST', '/api/v1/experiments', {
        name: 'CPU ramp on zone a',
        hypothesis:
          'Checkout in staging keeps answering while zone a is pressed harder and harder.',
        environment: 'staging',
        service: 'checkout',
        blastRadius: { scope: 'hosts', selector: { zone: 'a' }, mode: 'all' },
        attack: { type: 'cpu' },
        steps: STEPS.map((magnitude, index) => ({
          magnitude,
          durationSeconds: index < STEPS.length - 1 ? STEP_SECONDS : 600,
        })),
        abortConditions: [
          {
            kind: 'threshold',
            metric: 'latency_p99',
            comparator: '>',
            threshold: 600_000,
            windowSeconds: 10,
            scope: 'target',
          },
        ],
      })
    ).json() as Experiment;
    const started = await call('POST', `/api/v1/experiments/${created.id}/start`, {
      version: created.version,
    });
    expect(started.statusCode, started.body).toBe(200);
    expect((started.json() as Experiment).run?.targets).toContain('ramp-1');
    const faultId = `${created.id}/ramp-1`;

    // Step 1: one stress-ng worker at 30 % load, burning CPU.
    const first = await reported(faultId, 'applied', 30);
    expect(cmdline(first)).toContain(stressArgs('cpu', 30, 1).join(' '));
    await burns(first);

    // Each next step changes the same fault in place: the stress-ng at 30 % gives way to one at
    // the step's load, and only that one runs.
    let previous = first;
    for (const [index, load] of STEPS.slice(1).entries()) {
      await advance(STEP_SECONDS);
      expect(faultline.engine.running().find((e) => e.id === created.id)?.run?.stepIndex).toBe(
        index + 1,
      );
      const now = await reported(faultId, 'changed', load);
      expect(now).not.toBe(previous);
      expect(cmdline(now)).toContain(stressArgs('cpu', load, 1).join(' '));
      expect(await eventually(() => !isRunning(previous), 5_000)).toBe(true);
      await burns(now);
      expect(faultline.agents.hub.list()[0]!.faults).toHaveLength(1);
      previous = now;
    }

    const halted = await call('POST', `/api/v1/experiments/${created.id}/halt`, {});
    expect(halted.statusCode, halted.body).toBe(200);
    expect(await eventually(() => !isRunning(previous), 5_000)).toBe(true);
    expect(await eventually(() => faultline.agents.hub.list()[0]!.faults.length === 0, 5_000)).toBe(
      true,
    );
  });
});

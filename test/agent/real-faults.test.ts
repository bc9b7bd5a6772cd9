import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultHost, type RunningTarget } from '../../agent/fault-host';
import { ProxyHandle } from '../../agent/proxy-handle';
import { stressArgs } from '../../agent/stress';
import {
  childPids,
  cpuTicks,
  eventually,
  get,
  isRunning,
  processState,
  startUpstream,
} from './helpers';

const fixture = fileURLToPath(new URL('./fixtures/hold-faults.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(child: ChildProcess): ChildProcess {
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function killPid(pid: number) {
  cleanups.push(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** A "Name:   1234 kB" field of a /proc file, in kB; 0 when the file or field is gone. */
function kbIn(file: string, field: string): number {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Every descendant of a process, from /proc. */
function descendants(pid: number): number[] {
  const children = childPids(pid);
  return [...children, ...children.flatMap(descendants)];
}

/** Resident memory of a process and its descendants (stress-ng's vm workers), in kB. */
function heldKb(pid: number): number {
  return [pid, ...descendants(pid)].reduce(
    (sum, each) => sum + kbIn(`/proc/${each}/status`, 'VmRSS'),
    0,
  );
}

function hostWithOneTarget(pid: number): FaultHost {
  const target: RunningTarget = {
    target: {
      name: 'worker-1',
      service: 'checkout',
      environment: 'staging',
      labels: {},
      process: { pid },
    },
    pid,
    proxy: null,
  };
  return new FaultHost(new Map([['worker-1', target]]), { workers: 1 });
}

describe('real faults on real processes', () => {
  it('puts a stress-ng worker on the CPU at the step magnitude, changes it in place, and removes it', async () => {
    const host = hostWithOneTarget(process.pid);
    cleanups.push(async () => {
      await host.removeAll();
    });
    const applied = await host.apply('f1', 'worker-1', { type: 'cpu', percent: 60 });
    expect(applied.outcome).toBe('applied');
    const first = Number(/pid (\d+)/.exec(applied.detail)?.[1]);
    expect(readCmdline(first)).toContain(stressArgs('cpu', 60, 1).join(' '));

    // What the fault did: its worker burns CPU (ticks are 10 ms each).
    const worker = childPids(first)[0];
    expect(worker).toBeDefined();
    const before = cpuTicks(worker!);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(cpuTicks(worker!) - before).toBeGreaterThan(5);

    // What it used is counted against the target, and the count never goes back.
    const burned = host.stressCpuSeconds()['worker-1'] ?? 0;
    expect(burned).toBeGreaterThan(0.05);

    const changed = await host.change('f1', { type: 'cpu', percent: 90 });
    expect(host.stressCpuSeconds()['worker-1']).toBeGreaterThanOrEqual(burned);
    expect(changed.outcome).toBe('changed');
    const second = Number(/pid (\d+)/.exec(changed.detail)?.[1]);
    expect(second).not.toBe(first);
    expect(readCmdline(second)).toContain('--cpu-load 90');
    expect(isRunning(first)).toBe(false);

    const removed = await host.remove('f1');
    expect(removed).toMatchObject({ outcome: 'removed', detail: `stress-ng pid ${second} exited` });
    expect(isRunning(second)).toBe(false);
    expect(host.faultIds).toEqual([]);
    const total = host.stressCpuSeconds()['worker-1'] ?? 0;
    expect(total).toBeGreaterThanOrEqual(burned);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(host.stressCpuSeconds()).toEqual({ 'worker-1': total });
  });

  it("holds the step's share of the host's available memory with stress-ng, changes it in place, and frees it", async () => {
    const host = hostWithOneTarget(process.pid);
    cleanups.push(async () => {
      await host.removeAll();
    });
    // 1 % of what the host has available, in kB: what stress-ng --vm-bytes 1% holds.
    const onePercentKb = kbIn('/proc/meminfo', 'MemAvailable') / 100;

    const applied = await host.apply('m1', 'worker-1', { type: 'memory', percent: 1 });
    expect(applied.outcome, applied.detail).toBe('applied');
    const first = Number(/pid (\d+)/.exec(applied.detail)?.[1]);
    expect(readCmdline(first)).toContain(stressArgs('memory', 1, 1).join(' '));
    // Its workers touch what they map: the memory is really held, not only reserved.
    expect(await eventually(() => heldKb(first) > onePercentKb / 2, 10_000)).toBe(true);

    const changed = await host.change('m1', { type: 'memory', percent: 2 });
    expect(changed.outcome, changed.detail).toBe('changed');
    const second = Number(/pid (\d+)/.exec(changed.detail)?.[1]);
    expect(second).not.toBe(first);
    expect(readCmdline(second)).toContain('--vm-bytes 2%');
    expect(await eventually(() => heldKb(second) > onePercentKb, 10_000)).toBe(true);
    expect(isRunning(first)).toBe(false);

    const workers = descendants(second);
    const removed = await host.remove('m1');
    expect(removed).toMatchObject({ outcome: 'removed', detail: `stress-ng pid ${second} exited` });
    expect(await eventually(() => ![second, ...workers].some(isRunning), 2_000)).toBe(true);
    expect(host.faultIds).toEqual([]);
  });

  it('stops a process for instance shutdown and continues it when the fault is removed', async () => {
    const sleeper = track(spawn('sleep', ['30'], { stdio: 'ignore' }));
    const host = hostWithOneTarget(sleeper.pid!);
    const applied = await host.apply('s1', 'worker-1', { type: 'shutdown' });
    expect(applied.outcome).toBe('applied');
    // SIGSTOP is delivered by the kernel, not the moment kill returns.
    expect(await eventually(() => processState(sleeper.pid!) === 'T', 2_000)).toBe(true);
    await host.remove('s1');
    expect(await eventually(() => processState(sleeper.pid!) === 'S', 2_000)).toBe(true);
  });

  it('refuses a fault that needs an HTTP port on a target without one, and changes nothing', async () => {
    const host = hostWithOneTarget(process.pid);
    const report = await host.apply('e1', 'worker-1', { type: 'error', percent: 50, status: 500 });
    expect(report).toMatchObject({ outcome: 'refused' });
    expect(report.detail).toContain('no HTTP port');
    expect(host.faultIds).toEqual([]);
  });

  it('leaves no stress-ng, no stopped process and no injecting proxy behind an agent killed with -9', async () => {
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const frozen = track(spawn('sleep', ['30'], { stdio: 'ignore' }));
    const agent = track(
      spawn(
        process.execPath,
        ['--import', 'tsx', fixture, String(upstream.port), String(frozen.pid)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ),
    );
    const [line] = (await once(createInterface({ input: agent.stdout! }), 'line')) as [string];
    const held = JSON.parse(line) as { proxyPid: number; proxyPort: number; stressPid: number };
    killPid(held.proxyPid);
    killPid(held.stressPid);
    expect(held.stressPid).toBeGreaterThan(0);
    expect(isRunning(held.stressPid)).toBe(true);
    expect(await eventually(() => processState(frozen.pid!) === 'T', 2_000)).toBe(true);
    expect(await get(held.proxyPort)).toBe(500);

    agent.kill('SIGKILL');
    await once(agent, 'exit');

    // The kernel ends stress-ng (parent-death signal) and the watchdog's pipe closes: well
    // inside the 2 s heartbeat timeout an agent's faults may outlive it by.
    expect(await eventually(() => !isRunning(held.stressPid), 2_000)).toBe(true);
    expect(await eventually(() => processState(frozen.pid!) !== 'T', 2_000)).toBe(true);
    // The proxy outlives its agent on purpose, forwarding without faults.
    const after = [];
    for (let i = 0; i < 20; i += 1) after.push(await get(held.proxyPort));
    expect(after).toEqual(Array(20).fill(200));

    // An agent restarted on the same port ends the orphaned proxy and listens there itself.
    const again = await ProxyHandle.start(upstream.port, held.proxyPort);
    cleanups.push(() => again.stop());
    expect(again.port).toBe(held.proxyPort);
    expect(await eventually(() => !isRunning(held.proxyPid), 2_000)).toBe(true);
    await again.set({ latencyMs: 0, errorPercent: 100, errorStatus: 503, dropPercent: 0 });
    expect(await get(held.proxyPort)).toBe(503);
  });

  it('never takes the port of a fault proxy whose agent still runs', async () => {
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const frozen = track(spawn('sleep', ['30'], { stdio: 'ignore' }));
    const agent = track(
      spawn(
        process.execPath,
        ['--import', 'tsx', fixture, String(upstream.port), String(frozen.pid)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      ),
    );
    const [line] = (await once(createInterface({ input: agent.stdout! }), 'line')) as [string];
    const held = JSON.parse(line) as { proxyPid: number; proxyPort: number; stressPid: number };
    killPid(held.proxyPid);
    killPid(held.stressPid);
    await expect(ProxyHandle.start(upstream.port, held.proxyPort)).rejects.toThrow(
      `port ${held.proxyPort} is held by the fault proxy (pid ${held.proxyPid}) of a running agent (pid ${agent.pid})`,
    );
    expect(isRunning(held.proxyPid)).toBe(true);
    expect(await get(held.proxyPort)).toBe(500);
  });

  it('starts a proxy process that forwards, and ends it by its handle', async () => {
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const proxy = await ProxyHandle.start(upstream.port, 0);
    cleanups.push(() => proxy.stop());
    expect(await get(proxy.port)).toBe(200);
    const ack = await proxy.set({
      latencyMs: 0,
      errorPercent: 100,
      errorStatus: 503,
      dropPercent: 0,
    });
    expect(ack.faults.errorPercent).toBe(100);
    expect(await get(proxy.port)).toBe(503);
    await proxy.stop();
    expect(isRunning(proxy.pid)).toBe(false);
  });
});

import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startingAgainIfPortTaken } from './real-prometheus';

const listening: Server[] = [];
afterEach(async () => {
  for (const server of listening.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Listens on `port` of 127.0.0.1, as a shop or Faultline does; rejects as listen does. */
function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      listening.push(server);
      resolve(server);
    });
  });
}

describe('a port taken between its probe and its listen', () => {
  it('starts again on a fresh port, and only on that error', async () => {
    const taken = await freePort();
    await listen(taken);
    const tried: number[] = [];
    await startingAgainIfPortTaken(async () => {
      const port = tried.length === 0 ? taken : await freePort();
      tried.push(port);
      return listen(port);
    });
    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toBe(taken);

    let calls = 0;
    const other = startingAgainIfPortTaken(async () => {
      calls++;
      throw new Error('Prometheus refused its configuration');
    });
    await expect(other).rejects.toThrow('refused its configuration');
    expect(calls).toBe(1);
  });

  it('gives up after three starts that all find the port taken', async () => {
    const taken = await freePort();
    await listen(taken);
    let calls = 0;
    const always = startingAgainIfPortTaken(() => {
      calls++;
      return listen(taken);
    });
    await expect(always).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(calls).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { testServer } from './test-server';

/** The log lines a server wrote, parsed. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    stream: {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    },
  };
}

describe('the server log', () => {
  it('writes one line with the request id for an unexpected error, and nothing for ordinary requests', async () => {
    const sink = logSink();
    const server = await testServer({ logStream: sink.stream });
    expect((await server.call('GET', '/api/v1/experiments')).statusCode).toBe(200);
    expect((await server.call('POST', '/api/v1/experiments', { body: {} })).statusCode).toBe(400);
    expect(sink.lines).toEqual([]);

    // A store that cannot answer: the database was closed under the server.
    server.context.db.close();
    const response = await server.call('GET', '/api/v1/experiments');
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal');
    expect(sink.lines).toHaveLength(1);
    const [line] = sink.lines;
    expect(line).toMatchObject({
      level: 50,
      msg: 'unexpected error',
      method: 'GET',
      url: '/api/v1/experiments',
    });
    expect(typeof line?.reqId).toBe('string');
    expect(JSON.stringify(line?.err)).toContain('database connection is not open');
  });

  it('logs requests too when the level is info', async () => {
    const sink = logSink();
    const server = await testServer({ logStream: sink.stream, config: { logLevel: 'info' } });
    await server.call('GET', '/healthz', { as: null });
    expect(sink.lines.some((line) => line.msg === 'incoming request')).toBe(true);
  });
});

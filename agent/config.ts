import { accessSync, constants, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { agentConfigSchema, type AgentConfig, type AgentTarget } from '../src/domain/agents';

/** The agent's command line and environment, parsed once, here. */
const optionsSchema = z.object({
  server: z.url({ error: '--server is the Faultline server URL, e.g. http://127.0.0.1:4400' }),
  token: z
    .string({ error: 'give the agent token with --token-file or FAULTLINE_AGENT_TOKEN' })
    .min(16, 'an agent token is at least 16 characters'),
  config: z.string({ error: '--config names the targets file' }).min(1),
  /** Silence from the server after which every fault is removed, in ms. */
  heartbeatTimeoutMs: z.coerce.number().int().min(200).max(60_000).default(2_000),
  /** stress-ng workers for CPU and memory faults; 0 = one per online CPU. */
  stressWorkers: z.coerce.number().int().min(0).max(256).default(0),
});
export type AgentOptions = z.infer<typeof optionsSchema>;

export class AgentConfigError extends Error {}

function flag(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

export function parseAgentOptions(argv: string[], env: NodeJS.ProcessEnv): AgentOptions {
  const tokenFile = flag(argv, '--token-file');
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : env.FAULTLINE_AGENT_TOKEN;
  const parsed = optionsSchema.safeParse({
    server: flag(argv, '--server') ?? env.FAULTLINE_SERVER,
    token,
    config: flag(argv, '--config'),
    heartbeatTimeoutMs: flag(argv, '--heartbeat-timeout-ms'),
    stressWorkers: flag(argv, '--stress-workers'),
  });
  if (!parsed.success) throw new AgentConfigError(describeIssues(parsed.error));
  return parsed.data;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'config'}: ${issue.message}`)
    .join('\n');
}

/** Reads and checks the targets file: its shape, then that every target really exists. */
export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AgentConfigError(`${file}: ${(error as Error).message}`);
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) throw new AgentConfigError(describeIssues(parsed.error));
  const problems = (
    await Promise.all(parsed.data.targets.map((target, index) => checkTarget(target, index)))
  ).flat();
  if (problems.length > 0) throw new AgentConfigError(problems.join('\n'));
  return parsed.data;
}

async function checkTarget(target: AgentTarget, index: number): Promise<string[]> {
  const at = `targets.${index}`;
  const problems: string[] = [];
  if ('pid' in target.process) {
    if (!processExists(target.process.pid)) {
      problems.push(`${at}.process.pid: no process ${target.process.pid} is running`);
    }
  } else {
    const program = target.process.command[0] ?? '';
    if (!findProgram(program, target.process.cwd)) {
      problems.push(`${at}.process.command.0: no program "${program}" can be run`);
    }
  }
  if (target.http && !(await listens(target.http.port))) {
    problems.push(`${at}.http.port: nothing listens on 127.0.0.1:${target.http.port}`);
  }
  return problems;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function findProgram(program: string, cwd: string | undefined): boolean {
  const candidates = program.includes('/')
    ? [path.resolve(cwd ?? process.cwd(), program)]
    : (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, program));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1_000, () => done(false));
  });
}

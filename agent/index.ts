import { startAgent } from './agent';
import { AgentConfigError, loadAgentConfig, parseAgentOptions } from './config';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `tsx agent/index.ts --server URL --config targets.json` (token in FAULTLINE_AGENT_TOKEN). */
async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`faultline-agent: ${line}\n`);
  // Signals are handled from the first moment and for as long as the agent runs: a signal
  // during start-up waits for the start to finish and then stops; a second signal while the
  // agent removes its faults is noted and ignored, never the default death that would leave
  // a fault proxy or a stress-ng behind.
  let stopRequested: string | null = null;
  let stopNow: (() => void) | null = null;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (stopRequested !== null) {
        log(`${signal} again: already removing every fault and stopping`);
        return;
      }
      stopRequested = signal;
      stopNow?.();
    });
  }
  try {
    const options = parseAgentOptions(process.argv.slice(2), process.env);
    const config = await loadAgentConfig(options.config);
    const agent = await startAgent(options, config, log);
    stopNow = () => {
      log(`${stopRequested ?? 'a signal'}: removing every fault and stopping`);
      void agent
        .stop()
        .catch((error: Error) => log(`stopping: ${error.message}`))
        .finally(() => process.exit(0));
    };
    if (stopRequested !== null) stopNow();
  } catch (error) {
    if (error instanceof AgentConfigError) {
      process.stderr.write(`faultline-agent: the configuration is refused:\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

await main();

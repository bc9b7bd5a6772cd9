import { startAgent } from './agent';
import { AgentConfigError, loadAgentConfig, parseAgentOptions } from './config';

/** `tsx agent/index.ts --server URL --config targets.json` (token in FAULTLINE_AGENT_TOKEN). */
async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`faultline-agent: ${line}\n`);
  try {
    const options = parseAgentOptions(process.argv.slice(2), process.env);
    const config = await loadAgentConfig(options.config);
    const agent = await startAgent(options, config, log);
    const stop = () => {
      void agent.stop().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (error instanceof AgentConfigError) {
      process.stderr.write(`faultline-agent: the configuration is refused:\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

await main();

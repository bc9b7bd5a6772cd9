import { FaultProxy, NO_FAULTS, type ProxyFaults } from './fault-proxy';

/**
 * The fault proxy of one instance, in a process of its own, driven by its agent over IPC.
 * It outlives the agent on purpose: if the agent dies (kill -9 included) the IPC channel
 * closes, the proxy drops every fault at once and keeps forwarding, so the instance's
 * traffic is neither harmed nor cut off. It forwards until it is ended (SIGTERM); until then
 * it keeps its port; an agent restarted on the same port ends it first (see proxy-handle.ts).
 *
 * argv: <upstream port> <listen port>
 */
interface SetMessage {
  seq: number;
  faults: ProxyFaults;
}

const [upstream, listen] = process.argv.slice(2).map(Number);
if (!upstream || listen === undefined || Number.isNaN(listen)) {
  process.stderr.write('usage: proxy-process <upstream port> <listen port>\n');
  process.exit(2);
}

const proxy = new FaultProxy(upstream);
proxy
  .listen(listen)
  .then((port) => process.send?.({ ready: port }))
  .catch((error: Error) => {
    process.stderr.write(`fault proxy cannot listen on ${listen}: ${error.message}\n`);
    process.exit(1);
  });

process.on('message', (message: SetMessage) => {
  proxy.set(message.faults);
  process.send?.({ seq: message.seq, faults: proxy.current, counts: proxy.counts });
});

process.on('disconnect', () => {
  proxy.set(NO_FAULTS);
});

process.on('SIGTERM', () => {
  void proxy.close().finally(() => process.exit(0));
});

// bench:feed's many feed clients, in a child process at the lowest CPU priority (nice 19): they stand for
// receivers on other machines. They read every byte of every page but parse none (feed-client.ts): parsing every
// event fifty times over is the receivers' work, not the bridge's, and on this machine it would take the cores the
// bridge is measured on. Their fetches run on no event loop of the load generator's, whose delays would count in
// every ingest latency it measures. Runs until the parent sends 'stop'; answers with the tally.
import { feedClient, type FeedClientTally, type FeedTarget } from './feed-client.ts';

// The settings come over the IPC channel, not the command line: the token is not for `ps` to show.
process.once('message', (settings: { target: FeedTarget; start: string; clients: number }) => {
  const stop = new AbortController();
  const tally: FeedClientTally = { pages: 0, bytes: 0, refusals: new Map() };
  const running = Array.from({ length: settings.clients }, () => feedClient(settings.target, stop.signal, settings.start, tally));
  process.once('message', () => {
    stop.abort();
    void Promise.all(running).then(() => process.send!({ pages: tally.pages, bytes: tally.bytes, refusals: [...tally.refusals] }, () => process.exit(0)));
  });
  process.send!('started');
});

// The faults, each applied while the load runs. Each heals what it broke, so scenarios can run one after the
// other on the same cluster.
import type { FaultContext, FaultReport, Scenario } from './scenario.ts';
import { sleep } from './processes.ts';

const brokerKill: Scenario = {
  name: 'broker-kill',
  async fault({ cluster, load, holdMs, acked }: FaultContext): Promise<FaultReport> {
    await acked(Math.ceil((load.acks.length || 1) + 10));
    await cluster.broker.stop('SIGKILL');
    await sleep(holdMs);
    await cluster.broker.start();
    return {};
  },
};

export const SCENARIOS: Scenario[] = [brokerKill];

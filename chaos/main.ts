// `npm run chaos -- --records N [--scenarios a,b] [--replicas 2] [--clients 8] [--hold-ms 10000] [--webhook-down-ms 600000] [--pace-ms N] [--topology]`:
// the long campaign. Runs every scenario (or the named ones) on one owned cluster, N acknowledged advices each,
// then the overload run, and prints one summary line per scenario. Exit 1 when anything was lost, inverted or
// crashed. `--topology`: the production topology's scenarios (chaos/topology-scenarios.ts) on three Kafka nodes
// and a PostgreSQL primary with a standby, case events on the inbound topic in the load; a scenario that may lose
// (the asynchronous standby) is reported, not failed.
import { parseArgs } from 'node:util';
import { Cluster } from './cluster.ts';
import { runOverload } from './overload.ts';
import { runScenario } from './scenario.ts';
import { SCENARIOS } from './scenarios.ts';
import { TOPOLOGY_SCENARIOS } from './topology-scenarios.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '2000' },
    scenarios: { type: 'string' },
    replicas: { type: 'string', default: '2' },
    clients: { type: 'string', default: '8' },
    'hold-ms': { type: 'string', default: '10000' },
    'webhook-down-ms': { type: 'string', default: '600000' },
    'pace-ms': { type: 'string' },
    'overload-seconds': { type: 'string', default: '20' },
    topology: { type: 'boolean', default: false },
  },
});
const records = Number(values.records);
const clients = Number(values.clients);
const wanted = values.scenarios?.split(',');
const topology = values.topology === true;
const all = topology ? TOPOLOGY_SCENARIOS : SCENARIOS;
const chosen = wanted ? all.filter((s) => wanted.includes(s.name)) : all;
const out = (line: string) => process.stdout.write(`${line}\n`);

const cluster = await Cluster.start({ replicas: Number(values.replicas), topology });
let failed = false;
try {
  out(
    `chaos campaign ${cluster.runId}: ${chosen.length} scenarios, ${records} records each, ${values.replicas} replicas, ${clients} clients${topology ? ', topology: 3 Kafka nodes (RF 3, min.insync 2), PostgreSQL primary + standby (fsync on), case events' : ''}`,
  );
  let firstSubject = 0;
  const totals = { acked: 0, caseEvents: 0, messages: 0, lost: 0, lostMayLose: 0, duplicates: 0, inversions: 0 };
  for (const scenario of chosen) {
    const r = await runScenario(
      cluster,
      scenario,
      {
        records,
        clients,
        subjectsPerClient: 4,
        holdMs: Number(values['hold-ms']),
        webhookDownMs: Number(values['webhook-down-ms']),
        ...(values['pace-ms'] !== undefined && { paceMs: Number(values['pace-ms']) }),
      },
      firstSubject,
    );
    firstSubject += clients * 4;
    out(r.line);
    const cutOffIsDefect = !scenario.allowsCutOff && r.load.cutOff > 0;
    const lost = scenario.mayLose ? 0 : r.lost + r.lostRecords;
    // A 503 without Retry-After is a defect the topology scenarios check (the failover's 503s); the older ones count it.
    const bareShed = topology ? r.retryAfterMissing : 0;
    if (lost + r.inversions + r.foreignDuplicates + r.crashes + bareShed > 0 || (r.load.statuses[500] ?? 0) > 0 || cutOffIsDefect) failed = true;
    totals.acked += r.acked;
    totals.caseEvents += r.caseEvents;
    totals.messages += r.expected;
    totals.lost += lost;
    if (scenario.mayLose) totals.lostMayLose += r.lost + r.lostRecords;
    totals.duplicates += r.duplicates;
    totals.inversions += r.inversions;
  }
  out(
    `campaign acked=${totals.acked} case_events=${totals.caseEvents} messages=${totals.messages} lost=${totals.lost} lost_where_allowed=${totals.lostMayLose} duplicates=${totals.duplicates} inversions=${totals.inversions}`,
  );
  if (!topology && (!wanted || wanted.includes('overload'))) {
    const o = await runOverload(cluster, { seconds: Number(values['overload-seconds']) });
    out(o.line);
    if (!o.held) failed = true;
  }
} catch (err) {
  failed = true;
  out(`chaos campaign failed: ${(err as Error).stack ?? String(err)}`);
} finally {
  await cluster.destroy();
}
process.exit(failed ? 1 : 0);

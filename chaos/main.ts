// `npm run chaos -- --records N [--scenarios a,b] [--replicas 2] [--clients 8] [--hold-ms 10000]`: the long
// campaign. Runs every scenario (or the named ones) on one owned cluster, N acknowledged advices each, then the
// overload run, and prints one summary line per scenario. Exit 1 when anything was lost, inverted or crashed.
import { parseArgs } from 'node:util';
import { Cluster } from './cluster.ts';
import { runOverload } from './overload.ts';
import { runScenario } from './scenario.ts';
import { SCENARIOS } from './scenarios.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '2000' },
    scenarios: { type: 'string' },
    replicas: { type: 'string', default: '2' },
    clients: { type: 'string', default: '8' },
    'hold-ms': { type: 'string', default: '10000' },
    'overload-seconds': { type: 'string', default: '20' },
  },
});
const records = Number(values.records);
const clients = Number(values.clients);
const wanted = values.scenarios?.split(',');
const chosen = wanted ? SCENARIOS.filter((s) => wanted.includes(s.name)) : SCENARIOS;
const out = (line: string) => process.stdout.write(`${line}\n`);

const cluster = await Cluster.start({ replicas: Number(values.replicas) });
let failed = false;
try {
  out(`chaos campaign ${cluster.runId}: ${chosen.length} scenarios, ${records} records each, ${values.replicas} replicas, ${clients} clients`);
  let firstSubject = 0;
  for (const scenario of chosen) {
    const r = await runScenario(cluster, scenario, { records, clients, subjectsPerClient: 4, holdMs: Number(values['hold-ms']) }, firstSubject);
    firstSubject += clients * 4;
    out(r.line);
    const cutOffIsDefect = !scenario.allowsCutOff && r.load.cutOff > 0;
    if (r.lost + r.lostRecords + r.inversions + r.foreignDuplicates + r.crashes > 0 || (r.load.statuses[500] ?? 0) > 0 || cutOffIsDefect) failed = true;
  }
  if (!wanted || wanted.includes('overload')) {
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

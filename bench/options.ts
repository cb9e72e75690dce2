// Command-line options of `npm run bench`, with defaults sized for a shared 2-core machine.
import { parseArgs } from 'node:util';

export type ScenarioName = 'empty' | 'million' | 'backlog';
const SCENARIOS: readonly ScenarioName[] = ['empty', 'million', 'backlog'];

export interface Options {
  rates: number[];
  stepSeconds: number;
  capacitySeconds: number;
  warmupSeconds: number;
  callers: number;
  batchCallers: number;
  batchSize: number;
  drain: number;
  /** Rounds of each target's figure alternating with its baseline (decision 0098). */
  rounds: number;
  /** Which scenarios run, in this order; `--no-growth` is `--scenarios empty`. */
  scenarios: ScenarioName[];
  million: number;
  backlog: number;
  cpuProfileDir: string | undefined;
  json: string | undefined;
  keepDatabases: boolean;
}

export const USAGE = `npm run bench -- [--rates 25,50,100,200] [--step-seconds 8] [--capacity-seconds 8] [--callers 10]
  [--batch-size 50] [--batch-callers 2] [--drain 20000] [--rounds 3] [--no-growth | --scenarios empty,million,backlog] [--million 1000000] [--backlog 50000]
  [--cpu-prof <dir>] [--json <file>] [--keep-databases]`;

export function parseOptions(argv: string[]): Options {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      rates: { type: 'string', default: '25,50,100,200' },
      'step-seconds': { type: 'string', default: '8' },
      'capacity-seconds': { type: 'string', default: '8' },
      'warmup-seconds': { type: 'string', default: '3' },
      callers: { type: 'string', default: '10' },
      'batch-callers': { type: 'string', default: '2' },
      'batch-size': { type: 'string', default: '50' },
      drain: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '3' },
      'no-growth': { type: 'boolean', default: false },
      scenarios: { type: 'string' },
      million: { type: 'string', default: '1000000' },
      backlog: { type: 'string', default: '50000' },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
      'keep-databases': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const num = (name: string, s: string, min: number) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number of at least ${min}`);
    return n;
  };
  return {
    rates: v.rates.split(',').map((r) => num('rates', r, 0.1)),
    stepSeconds: num('step-seconds', v['step-seconds'], 0.5),
    capacitySeconds: num('capacity-seconds', v['capacity-seconds'], 0.5),
    warmupSeconds: num('warmup-seconds', v['warmup-seconds'], 0.5),
    callers: num('callers', v.callers, 1),
    batchCallers: num('batch-callers', v['batch-callers'], 1),
    batchSize: num('batch-size', v['batch-size'], 1),
    drain: num('drain', v.drain, 1),
    rounds: Math.round(num('rounds', v.rounds, 1)),
    scenarios: scenarioList(v.scenarios ?? (v['no-growth'] ? 'empty' : SCENARIOS.join(','))),
    million: num('million', v.million, 1),
    backlog: num('backlog', v.backlog, 1),
    cpuProfileDir: v['cpu-prof'],
    json: v.json,
    keepDatabases: v['keep-databases'],
  };
}

function scenarioList(s: string): ScenarioName[] {
  const names = s.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`--scenarios takes a list of ${SCENARIOS.join(', ')}; not ${unknown.join(', ')}`);
  return names as ScenarioName[];
}

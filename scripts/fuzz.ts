// `npm run fuzz -- --runs N [--seed S] [--flood N]`: the fuzz campaign of the test suite, longer. It runs the same
// test file (test/integration/security/fuzz.test.ts) against real PostgreSQL and Kafka, found as the tests find
// them, and prints the counts, and the flood of huge bad requests with the process's RSS before and after. A
// failure names the smallest failing request and the seed that replays it.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20000' }, seed: { type: 'string' }, flood: { type: 'string', default: '100' } } });
if (!/^[1-9][0-9]{0,7}$/.test(values.runs) || !/^[1-9][0-9]{0,5}$/.test(values.flood) || (values.seed !== undefined && !/^[0-9]{1,10}$/.test(values.seed))) {
  process.stderr.write('usage: npm run fuzz -- [--runs N] [--seed S] [--flood N]\n');
  process.exit(2);
}
const env = { ...process.env, FUZZ_RUNS: values.runs, FUZZ_FLOOD: values.flood, ...(values.seed ? { FUZZ_SEED: values.seed } : {}) };
const run = spawnSync('vitest', ['run', '--project', 'integration', 'test/integration/security/fuzz.test.ts'], { stdio: 'inherit', env });
process.exit(run.status ?? 1);

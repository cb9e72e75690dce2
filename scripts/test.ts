// `npm test` after the type check and lint: the whole suite with coverage, then a check that the integration
// tests really ran. A run where they were skipped (or found no services) fails here instead of passing quietly.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const REPORT = 'reports/vitest.json';
mkdirSync('reports', { recursive: true });
const args = ['run', '--coverage', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...process.argv.slice(2)];
const run = spawnSync('vitest', args, { stdio: 'inherit', shell: false });
if (run.status !== 0) process.exit(run.status ?? 1);

interface Report {
  testResults: { name: string; assertionResults: { status: string; fullName: string }[] }[];
}
const report = JSON.parse(readFileSync(REPORT, 'utf8')) as Report;
const integration = report.testResults.filter((f) => f.name.includes('/test/integration/'));
const results = integration.flatMap((f) => f.assertionResults);
const passed = results.filter((r) => r.status === 'passed').length;
const notRun = results.filter((r) => r.status !== 'passed' && r.status !== 'failed');
if (process.argv.length <= 2 && (integration.length === 0 || passed === 0 || notRun.length > 0)) {
  process.stderr.write(`integration tests did not all run: ${integration.length} files, ${passed} passed, ${notRun.length} skipped or pending\n`);
  for (const r of notRun) process.stderr.write(`  not run: ${r.fullName}\n`);
  process.exit(1);
}
process.stdout.write(`integration tests ran: ${integration.length} files, ${passed} tests passed against real PostgreSQL and Kafka\n`);

// `node bench/profile-report.ts <file.cpuprofile>`: the tables of docs/performance.md from a profile that
// `npm run bench -- --cpu-prof <dir>` wrote: top self time, self time per file or package, and who calls writev
// (the socket writes of node-postgres and kafkajs).
import { byPackage, callersOf, summariseProfile } from './profile-summary.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/profile-report.ts <file.cpuprofile>\n');
  process.exit(2);
}
const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
const out: string[] = ['top self time:'];
for (const f of summariseProfile(file, 15)) out.push(`  ${pct(f.share)} ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`);
out.push('', 'self time by the nearest project file or package:');
for (const o of byPackage(file)) out.push(`  ${pct(o.share)} ${o.selfMs.toFixed(0).padStart(7)} ms  ${o.owner}`);
out.push('', 'writev (socket writes) by caller in src/:');
for (const c of callersOf(file, 'writev').slice(0, 12)) out.push(`  ${c.selfMs.toFixed(0).padStart(7)} ms  ${c.caller}`);
process.stdout.write(`${out.join('\n')}\n`);

// `npm run docs:config`: rewrites README.md's configuration table from the schema in src/config.ts (a unit test
// fails when the two drift).
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from '../src/config-table.ts';

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withConfigTable(before);
if (after !== before) writeFileSync(readme, after);
process.stdout.write(after === before ? 'README.md: configuration table already up to date\n' : 'README.md: configuration table written\n');

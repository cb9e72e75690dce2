// Where things live, checked: SQL only in src/store/, and no route that runs its own transaction (a route
// validates, calls one use case and maps its result). Import rules are .dependency-cruiser.cjs's (npm run deps).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const src = files('src');

describe('layout', () => {
  it('keeps every query in src/store/', () => {
    const query = /\.query\s*[(<]|\/\*\s*sql\s*\*\//;
    expect(src.filter((f) => !f.startsWith('src/store/') && query.test(read(f)))).toEqual([]);
  });

  it('leaves transactions to the use cases, not the routes', () => {
    expect(files('src/http').filter((f) => /\bwith(Transaction|Statements)\b|store\/transaction\.ts/.test(read(f)))).toEqual([]);
  });

  it('gives every folder of src/ a README of its own and a line in src/README.md', () => {
    const readme = read('src/README.md');
    const folders = readdirSync(join(ROOT, 'src')).filter((n) => statSync(join(ROOT, 'src', n)).isDirectory());
    expect(folders.filter((f) => !readme.includes(`\`${f}/\``))).toEqual([]);
    expect(folders.filter((f) => !readdirSync(join(ROOT, 'src', f)).includes('README.md'))).toEqual([]);
  });
});

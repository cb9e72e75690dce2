import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VARIABLES } from '../../src/config-variables.ts';
import { configTable, configTableRows, tableIn, withConfigTable } from '../../src/config-table.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of a written table by variable name (the first cell), with the variables that have no row of their own. */
function rowsOf(table: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of table.split('\n')) {
    const name = /^\| `([A-Z0-9_]+)` \|/.exec(line)?.[1];
    if (name) rows.set(name, line);
  }
  return rows;
}

/** Names of the variables whose row in `written` is missing, extra or different from what the schema gives. */
function drift(written: string): string[] {
  const want = configTableRows();
  const have = rowsOf(written);
  const names = new Set([...want.keys(), ...have.keys()]);
  return [...names].filter((n) => want.get(n) !== have.get(n));
}

describe("README.md's configuration table", () => {
  it('is the one npm run docs:config writes from the schema in src/config.ts', () => {
    const written = tableIn(README);
    expect(written, 'README.md lacks the config-table markers').toBeDefined();
    // Named first, so a failure says which variables to fix (then run npm run docs:config).
    expect(drift(written!), 'variables whose README row differs from src/config.ts: run npm run docs:config').toEqual([]);
    expect(written).toBe(configTable());
  });

  it('has a row for every variable, each with a description', () => {
    expect([...configTableRows().keys()].sort()).toEqual(Object.keys(VARIABLES).sort());
    for (const spec of Object.values(VARIABLES)) expect(spec.schema.description.length).toBeGreaterThan(3);
  });

  it('names the variables whose rows drift: missing, extra or changed', () => {
    const rows = [...configTableRows().values()];
    const stale = rows
      .filter((r) => !r.startsWith('| `PORT` '))
      .map((r) => (r.startsWith('| `HOST` ') ? r.replace('HTTP bind address', 'HTTP') : r))
      .concat('| `NO_SUCH_VARIABLE` | none | gone |');
    expect(drift(stale.join('\n')).sort()).toEqual(['HOST', 'NO_SUCH_VARIABLE', 'PORT']);
  });

  it('is replaced between the markers and nowhere else', () => {
    const rewritten = withConfigTable(README.replace(configTable(), '| old |'));
    expect(rewritten).toBe(withConfigTable(README));
    expect(() => withConfigTable('# no markers\n')).toThrow(/markers/);
  });
});

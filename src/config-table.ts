// README.md's configuration table, written from the one schema in config.ts so the two cannot drift apart
// (`npm run docs:config` rewrites it; test/unit/config-table.test.ts fails when README.md differs).
import { fileURLToPath } from 'node:url';
import { VARIABLES } from './config-variables.ts';

export const TABLE_START = '<!-- config-table:start (written from src/config.ts by `npm run docs:config`; do not edit by hand) -->';
export const TABLE_END = '<!-- config-table:end -->';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

function shownDefault(name: string): string {
  const spec = VARIABLES[name]!;
  if (spec.required) return 'required';
  const value = spec.schema.default;
  if (value === undefined) return 'none';
  if (value === '') return 'empty';
  // A default inside the checkout (the shipped policy) is shown relative to it, the same on every machine.
  const text = typeof value === 'string' && value.startsWith(REPO_ROOT) ? value.slice(REPO_ROOT.length) : JSON.stringify(value).replace(/^"(.*)"$/, '$1');
  return `\`${text}\``;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** One row per variable, keyed by its name: the required ones first, then in the schema's order. */
export function configTableRows(): Map<string, string> {
  const names = Object.keys(VARIABLES);
  const ordered = [...names.filter((n) => VARIABLES[n]!.required), ...names.filter((n) => !VARIABLES[n]!.required)];
  return new Map(ordered.map((n) => [n, `| \`${n}\` | ${cell(shownDefault(n))} | ${cell(VARIABLES[n]!.schema.description)} |`]));
}

export function configTable(): string {
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...configTableRows().values()].join('\n');
}

/** The text between the markers (without them); undefined when a marker is missing. */
export function tableIn(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** README.md with the table between the markers replaced by the one the schema gives. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${TABLE_START} and ${TABLE_END}`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${configTable()}\n${readme.slice(end)}`;
}

// The advisory-lock registry: one key per use, and no key written anywhere else. Two uses sharing a key made the
// relay count a running job as a replica (the first entry of issue 17).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCK_KEYS } from '../../../src/store/locks.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGISTRY = 'src/store/locks.ts';

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : /\.(ts|sql)$/.test(name) ? [path] : [];
  });
}

const sources = ['src', 'bench', 'chaos', 'harness', 'scripts', 'migrations', 'test/support'].flatMap(files).filter((f) => f !== REGISTRY);

describe('advisory-lock keys', () => {
  it('are distinct', () => {
    const keys = Object.values(LOCK_KEYS);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('are taken with a literal nowhere but the registry', () => {
    const literalCall = /pg_(try_)?advisory_\w*\(\s*-?\d/;
    const offenders = sources.filter((f) => literalCall.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('are written as numbers nowhere but the registry', () => {
    const written = Object.values(LOCK_KEYS).map((k) => new RegExp(`\\b${String(k).replace(/(\d)(?=(\d{3})+$)/g, '$1_?')}\\b`));
    const offenders = sources.filter((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      return written.some((re) => re.test(text));
    });
    expect(offenders.map((f) => relative('.', f))).toEqual([]);
  });

  it('are taken in src/ only through the registry', () => {
    const offenders = sources.filter((f) => f.startsWith('src/') && /pg_(try_)?advisory_/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

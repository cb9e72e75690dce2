// The NL API Design Rules, checked by the rules' own kind of tool: the project's Spectral ruleset
// (ops/api-rules/adr.spectral.yaml) and Redocly's recommended rules on openapi.yaml, 0 errors each; and the
// ruleset itself, on one broken document per rule (test/fixtures/api-rules/), so that a rule that stops catching
// what it should fails here, not in a review by someone else's linter.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RULESET = 'ops/api-rules/adr.spectral.yaml';
const FIXTURES = 'test/fixtures/api-rules';
const run = promisify(execFile);

interface SpectralResult {
  code: string;
  message: string;
  severity: number; // 0 error, 1 warning
  source: string;
  path: string[];
}

/** Spectral's results as JSON; it exits 1 when it finds errors, which is what some of these runs are for. */
async function spectral(...files: string[]): Promise<SpectralResult[]> {
  const args = ['lint', '-r', RULESET, '-f', 'json', '--quiet', ...files];
  const out = await run(`${ROOT}node_modules/.bin/spectral`, args, { cwd: ROOT, maxBuffer: 32 << 20 }).catch((err: { stdout?: string; code?: number }) => {
    if (err.code !== 1 || !err.stdout) throw err as Error;
    return { stdout: err.stdout };
  });
  return JSON.parse(out.stdout || '[]') as SpectralResult[];
}

/** Each broken document and the rule it breaks. */
const BROKEN: Record<string, string> = {
  'openapi-2': 'adr-openapi-3',
  'contact-missing': 'adr-contact',
  'contact-no-email': 'adr-contact',
  'version-not-semver': 'adr-semver',
  'servers-missing': 'adr-major-version-in-server',
  'server-without-version': 'adr-major-version-in-server',
  'version-header-missing-2xx': 'adr-version-header',
  'problem-wrong-media-type': 'adr-problem-details',
  'problem-members-missing': 'adr-problem-details',
  'no-400-on-post': 'adr-invalid-input',
  'no-400-on-get-with-parameters': 'adr-invalid-input',
  'trailing-slash': 'adr-no-trailing-slash',
  'path-not-kebab-case': 'adr-kebab-case-paths',
  'path-with-extension': 'adr-kebab-case-paths',
  'query-key-not-camel-case': 'adr-camel-case-query-keys',
  'date-time-local': 'adr-no-local-date-time',
  'time-with-offset': 'adr-time-local',
  'date-field-as-date-time': 'adr-date-fields-are-dates',
  'non-standard-method': 'adr-standard-methods',
};
/** Broken in a way the rules only warn about. */
const WARNED: Record<string, string> = { 'server-http': 'adr-https-servers' };

describe('openapi.yaml against the NL API Design Rules', () => {
  it('passes the project ruleset with 0 errors', async () => {
    const errors = (await spectral('openapi.yaml')).filter((r) => r.severity === 0);
    expect(errors.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  }, 60_000);

  it("passes Redocly's recommended rules with 0 errors", async () => {
    const out = await run(`${ROOT}node_modules/.bin/redocly`, ['lint', 'openapi.yaml', '--format', 'json'], { cwd: ROOT, maxBuffer: 32 << 20 }).catch(
      (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
    );
    const report = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { problems: { ruleId: string; severity: string; message: string }[] };
    const errors = report.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  }, 60_000);
});

describe('the project ruleset catches each rule', () => {
  it('on one broken document per rule, and finds nothing in the valid one', async () => {
    const names = ['valid', ...Object.keys(BROKEN), ...Object.keys(WARNED)];
    const results = await spectral(...names.map((n) => `${FIXTURES}/${n}.yaml`));
    const found = (name: string, severity: number) =>
      new Set(results.filter((r) => r.severity === severity && r.source.endsWith(`/${name}.yaml`)).map((r) => r.code));
    expect([...found('valid', 0), ...found('valid', 1)]).toEqual([]);
    for (const [name, rule] of Object.entries(BROKEN)) expect([...found(name, 0)], name).toContain(rule);
    for (const [name, rule] of Object.entries(WARNED)) expect([...found(name, 1)], name).toContain(rule);
  }, 60_000);
});

// `gcos-zsm-bridge validate <file>` gives the verdict POST /v1/advices gives for the same file: same status, same
// problem document or the same quality findings, in either language; and it needs no database or broker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/validate-command.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = `${ROOT}schemas/examples/`;
const dir = mkdtempSync(join(tmpdir(), 'validate-'));

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The command in this process (for coverage), its output parsed. */
async function validate(path: string, lang: string): Promise<{ code: number; out: { status: number; problem?: unknown; quality?: unknown }; err: string }> {
  let out = '';
  let err = '';
  const code = await run([path, '--lang', lang], { out: (t) => (out += t), err: (t) => (err += t), env: {}, now: () => new Date() });
  return { code, out: JSON.parse(out) as { status: number }, err };
}

const FILES: [string, () => string][] = [
  ['the valid example, dated today', () => file('valid.json', validAdvice({ adviceId: 'CLI-VALID', bsn: syntheticBsn(50) }))],
  ['an advice with a warning', () => file('warning.json', { ...validAdvice({ adviceId: 'CLI-WARN', bsn: syntheticBsn(51) }), goal: 'Behandeling.' })],
  ['the quality-criteria example', () => `${EXAMPLES}advice.invalid.quality-criteria.json`],
  ['the schema-errors example', () => `${EXAMPLES}advice.invalid.schema-errors.json`],
  ['the BSN example', () => `${EXAMPLES}advice.invalid.bsn-eleven-test.json`],
  [
    'a BSN in the goal of an advice to Halt (identifiers in free text)',
    () =>
      file('bsn-in-goal.json', {
        ...validAdvice({ adviceId: 'CLI-BSN-IN-GOAL', bsn: syntheticBsn(52) }),
        recommendation: { disposal: 'halt', conditions: [] },
        goal: `Herstel van de schade bij Halt; BSN ${syntheticBsn(52).replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3')}.`,
      }),
  ],
  ['a BSN in the advice id', () => file('bsn-in-id.json', validAdvice({ adviceId: `CLI-${syntheticBsn(53)}`, bsn: syntheticBsn(53) }))],
  ['malformed JSON', () => file('malformed.json', '{"adviceId": ')],
  ['a forbidden key', () => file('proto.json', '{"__proto__": {"x": 1}}')],
];

describe('validate <file> and POST /v1/advices agree', () => {
  for (const lang of ['en', 'nl']) {
    it.each(FILES)(`%s (${lang})`, async (name, make) => {
      const path = make();
      const cli = await validate(path, lang);
      const res = await bridge.inject({
        method: 'POST',
        url: '/v1/advices',
        payload: readFileSync(path),
        headers: { 'content-type': 'application/json', 'accept-language': lang },
      });
      expect(cli.out.status).toBe(res.statusCode);
      if (name.includes('BSN in the')) {
        expect(res.statusCode).toBe(422);
        expect(res.json<{ errors: { code: string }[] }>().errors.map((e) => e.code)).toEqual([
          name.includes('goal') ? 'BSN_IN_TEXT' : 'PERSONAL_DATA_IN_IDENTIFIER',
        ]);
      }
      if (res.statusCode === 202) {
        expect(cli.code).toBe(0);
        expect(cli.out.quality).toEqual(res.json<{ quality: unknown }>().quality);
      } else {
        expect(cli.code).toBe(1);
        expect(cli.out.problem).toEqual(res.json());
        expect(cli.err).toMatch(/refused/);
      }
    });
  }
});

describe('the validate command', () => {
  it('runs as `gcos-zsm-bridge validate` without any service configured, exit 1 on a refusal, 0 on acceptance', () => {
    const bin = (path: string) =>
      spawnSync(process.execPath, [`${ROOT}bin/gcos-zsm-bridge.js`, 'validate', path], { encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    const refused = bin(`${EXAMPLES}advice.invalid.quality-criteria.json`);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ status: 422, problem: { code: 'BRIDGE_UNPROCESSABLE' } });
    const accepted = bin(file('bin-valid.json', validAdvice({ adviceId: 'CLI-BIN' })));
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ status: 202, quality: { criteria: { goal: 'met' } } });
  });

  it('applies QUALITY_SEVERITIES as the service does', async () => {
    const path = file('sev.json', { ...validAdvice({ adviceId: 'CLI-SEV' }), goal: 'Behandeling.' });
    let out = '';
    const code = await run([path], {
      out: (t) => (out += t),
      err: () => undefined,
      env: { QUALITY_SEVERITIES: 'GOAL_TOO_BRIEF=refuse' },
      now: () => new Date(),
    });
    expect(code).toBe(1);
    expect(out).toContain('GOAL_TOO_BRIEF');
  });

  it('answers usage, file and configuration errors with their own exit codes', async () => {
    const io = (env: NodeJS.ProcessEnv = {}) => ({ out: () => undefined, err: () => undefined, env, now: () => new Date() });
    expect(await run([], io())).toBe(2);
    expect(await run(['a.json', 'b.json'], io())).toBe(2);
    expect(await run(['a.json', '--lang', 'fr'], io())).toBe(2);
    expect(await run(['a.json', '--kind', 'case-event'], io())).toBe(2);
    expect(await run(['a.json', '--bogus'], io())).toBe(2);
    expect(await run([join(dir, 'missing.json')], io())).toBe(2);
    expect(await run([`${EXAMPLES}advice.valid.json`], io({ QUALITY_SEVERITIES: 'NOPE=warn' }))).toBe(78);
  });
});

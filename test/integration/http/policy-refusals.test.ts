// The exchange policy at ingest: a record with a legal basis or purpose the policy does not accept, or with
// special-category data no rule admits, or with a bad BSN, gets a 422 naming the rule, and leaves no record, no
// message, only a processing-log entry without personal data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { countRows } from '../../support/db.ts';
import { FIXTURE_PERSONAL_DATA, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { logRows } from '../../support/processing-log.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

const BSN = syntheticBsn(40);
const withHealth = () => {
  const a = validAdvice({ adviceId: 'POL-HEALTH', bsn: BSN });
  (a['context'] as Record<string, unknown>)['health'] = 'Onder behandeling bij de verslavingszorg.';
  return a;
};

const cases = [
  {
    name: 'an unknown legal basis',
    body: { ...validAdvice({ adviceId: 'POL-BASIS', bsn: BSN }), legalBasis: 'nl.toestemming' },
    problem: 'BRIDGE_POLICY_REFUSED',
    code: 'LEGAL_BASIS_NOT_ACCEPTED',
    pointer: '/legalBasis',
    rule: 'kinds.advice.accepts',
  },
  {
    name: 'a purpose the basis does not cover',
    body: { ...validAdvice({ adviceId: 'POL-PURPOSE', bsn: BSN }), purpose: 'wetenschappelijk-onderzoek' },
    problem: 'BRIDGE_POLICY_REFUSED',
    code: 'PURPOSE_NOT_ACCEPTED',
    pointer: '/purpose',
    rule: 'kinds.advice.accepts',
  },
  {
    name: 'special-category data',
    body: withHealth(),
    problem: 'BRIDGE_POLICY_REFUSED',
    code: 'SPECIAL_CATEGORY_NOT_ALLOWED',
    pointer: '/context/health',
    rule: 'kinds.advice.specialCategories',
  },
  {
    name: 'a BSN failing the eleven-test',
    body: validAdvice({ adviceId: 'POL-BSN', bsn: '999990018' }),
    problem: 'BRIDGE_UNPROCESSABLE',
    code: 'BSN_ELEVEN_TEST',
    pointer: '/subject/bsn',
    rule: undefined,
  },
];

describe('refusals by the exchange policy and the rules', () => {
  it.each(cases)('$name -> 422 $code, no record, one refusal in the processing log', async (c) => {
    const before = await countRows(bridge.services.pool);
    const logBefore = (await logRows(bridge.services.pool)).length;
    const traceId = 'aa'.repeat(16);
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: c.body, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ code: string; errors: { code: string; pointer: string; rule?: string; detail: string }[] }>();
    expect(problem.code).toBe(c.problem);
    expect(problem.errors).toContainEqual(expect.objectContaining({ code: c.code, pointer: c.pointer, ...(c.rule ? { rule: c.rule } : {}) }));
    expect(await countRows(bridge.services.pool)).toEqual(before);

    const log = await logRows(bridge.services.pool);
    expect(log).toHaveLength(logBefore + 1);
    const entry = log.at(-1)!;
    expect(entry).toMatchObject({
      operation: 'refused',
      status: 'refused',
      subject_id: null,
      record_id: null,
      record_kind: 'advice',
      trace_id: traceId,
      actor: 'client:test-gcos',
    });
    expect(entry.detail).toMatchObject({ code: c.problem, errors: expect.arrayContaining([expect.objectContaining({ code: c.code, pointer: c.pointer })]) });
    // Nothing of the person: not the BSN (valid or not), not the name, not the birth date, not the health text.
    const stored = JSON.stringify(entry);
    for (const secret of [BSN, '999990018', ...FIXTURE_PERSONAL_DATA, 'verslavingszorg']) expect(stored).not.toContain(secret);
  });

  it('lists every broken rule at once: a bad BSN and an unknown legal basis together', async () => {
    const res = await bridge.inject({
      method: 'POST',
      url: '/v1/advices',
      payload: { ...validAdvice({ adviceId: 'POL-BOTH', bsn: '999990018' }), legalBasis: 'nl.onbekend' },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json<{ errors: { code: string }[] }>()
        .errors.map((e) => e.code)
        .sort(),
    ).toEqual(['BSN_ELEVEN_TEST', 'LEGAL_BASIS_NOT_ACCEPTED']);
  });

  it('logs a refusal of a malformed record too, without the values it held', async () => {
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: { ...validAdvice({ adviceId: 'POL-400', bsn: BSN }), [BSN]: 'x' } });
    expect(res.statusCode).toBe(400);
    const entry = (await logRows(bridge.services.pool)).at(-1)!;
    expect(entry).toMatchObject({ operation: 'refused', detail: expect.objectContaining({ code: 'BRIDGE_VALIDATION_FAILED' }) });
    expect(JSON.stringify(entry)).not.toContain(BSN);
  });
});

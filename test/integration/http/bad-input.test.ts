// Every kind of bad input: a clear 4xx problem with its code, nothing stored, nothing sent, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { countRows } from '../../support/db.ts';
import { NINE_DIGIT_BSNS } from '../../support/bsn-spellings.ts';
import { validAdvice } from '../../support/fixtures.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ env: { BODY_LIMIT_BYTES: '65536' } });
});
afterAll(async () => {
  await bridge?.close();
});

const json = (v: unknown) => JSON.stringify(v);
const BSN_AS_KEY = NINE_DIGIT_BSNS[1]!;
const valid = () => validAdvice({ adviceId: 'VH-BAD-INPUT' });

const cases: { name: string; payload: string | Buffer; contentType?: string; status: number; code: string; pointers?: string[] }[] = [
  { name: 'malformed JSON', payload: '{"adviceId": "x", ', status: 400, code: 'BRIDGE_MALFORMED_JSON' },
  { name: 'empty body', payload: '', status: 400, code: 'BRIDGE_MALFORMED_JSON' },
  { name: 'a JSON array', payload: '[1,2]', status: 400, code: 'BRIDGE_VALIDATION_FAILED', pointers: [''] },
  { name: 'wrong content type', payload: json(valid()), contentType: 'text/plain', status: 415, code: 'BRIDGE_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'form encoding', payload: 'adviceId=x', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'BRIDGE_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'body over the limit', payload: json({ ...valid(), goal: 'x'.repeat(70_000) }), status: 413, code: 'BRIDGE_BODY_TOO_LARGE' },
  { name: 'unknown fields', payload: json({ ...valid(), extra: true }), status: 400, code: 'BRIDGE_VALIDATION_FAILED', pointers: ['/extra'] },
  // A key is the client's text: a BSN typed as one does not come back in the answer.
  { name: 'a BSN as a key', payload: json({ ...valid(), [BSN_AS_KEY]: true }), status: 400, code: 'BRIDGE_VALIDATION_FAILED', pointers: ['/[digits]'] },
  { name: '__proto__ key', payload: json(valid()).replace(/^\{/, '{"__proto__": {"polluted": true},'), status: 400, code: 'BRIDGE_FORBIDDEN_KEY' },
  {
    name: 'constructor.prototype key',
    payload: json(valid()).replace(/^\{/, '{"constructor": {"prototype": {"polluted": true}},'),
    status: 400,
    code: 'BRIDGE_FORBIDDEN_KEY',
  },
  {
    name: 'BSN failing the eleven-test',
    payload: json({ ...valid(), subject: { ...(valid()['subject'] as object), bsn: '999990018' } }),
    status: 422,
    code: 'BRIDGE_UNPROCESSABLE',
    pointers: ['/subject/bsn'],
  },
  {
    name: 'advice date in the future',
    payload: json({ ...valid(), adviceDate: '2999-01-01', validUntil: '2999-02-01' }),
    status: 422,
    code: 'BRIDGE_UNPROCESSABLE',
    pointers: ['/adviceDate'],
  },
  { name: 'malformed date', payload: json({ ...valid(), adviceDate: '28-11-2026' }), status: 400, code: 'BRIDGE_VALIDATION_FAILED', pointers: ['/adviceDate'] },
  {
    name: 'invalid UTF-8',
    payload: Buffer.concat([Buffer.from('{"adviceId": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    status: 400,
    code: 'BRIDGE_MALFORMED_JSON',
  },
  { name: 'deeply nested JSON', payload: '['.repeat(30_000) + ']'.repeat(30_000), status: 400, code: 'BRIDGE_VALIDATION_FAILED' },
  {
    name: 'deep nesting inside a field',
    payload: json({ ...valid(), goal: 'DEEP' }).replace('"DEEP"', '['.repeat(10_000) + ']'.repeat(10_000)),
    status: 400,
    code: 'BRIDGE_VALIDATION_FAILED',
    pointers: ['/goal'],
  },
];

describe('bad input to POST /v1/advices', () => {
  it.each(cases)('$name -> $status $code, nothing stored', async (c) => {
    const before = await countRows(bridge.services.pool);
    const res = await bridge.inject({
      method: 'POST',
      url: '/v1/advices',
      payload: c.payload,
      headers: { 'content-type': c.contentType ?? 'application/json' },
    });
    expect(res.statusCode).toBe(c.status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ code: string; status: number; type: string; title: string; errors?: { pointer: string }[] }>();
    expect(problem.code).toBe(c.code);
    expect(problem.status).toBe(c.status);
    expect(problem.type).toMatch(/^urn:gcos-zsm-bridge:problem:/);
    if (c.pointers) expect(problem.errors?.map((e) => e.pointer)).toEqual(expect.arrayContaining(c.pointers));
    expect(res.body).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(res.body).not.toContain(BSN_AS_KEY);
    expect(await countRows(bridge.services.pool)).toEqual(before);
  });

  it('does not pollute Object.prototype', () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await bridge.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_NOT_FOUND' });
  });
});

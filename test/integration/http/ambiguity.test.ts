// Ambiguous requests are refused, not interpreted (issue 18): a header that may appear once given twice, a member
// name given twice in a JSON body, a compressed body, a charset other than UTF-8, a body shorter than its
// Content-Length, a known path asked with a method it does not have. And problem documents have a ceiling.
// What app.inject cannot send (repeated raw headers, a short body) goes over a real socket to a listening bridge.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED_ERRORS } from '../../../src/errors.ts';
import { MAX_LISTED_ERRORS_PER_BATCH } from '../../../src/http/advice-batches.ts';
import { MAX_FULLY_CHECKED_VALUES } from '../../../src/ingest/schemas.ts';
import { authorization, startBridge, type TestBridge } from '../../support/bridge.ts';
import { countRows } from '../../support/db.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';

let bridge: TestBridge;
let port: number;
beforeAll(async () => {
  bridge = await startBridge({ relay: false, env: { REQUEST_TIMEOUT_MS: '1000', BODY_LIMIT_BYTES: String(4 * 1024 * 1024) } });
  await bridge.app.listen({ port: 0, host: '127.0.0.1' });
  port = (bridge.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await bridge?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/** Sends `request` as it stands and reads the answer until the bridge closes the connection. */
function raw(request: string, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n'), ms: Date.now() - started });
    });
    socket.write(request);
  });
}

const token = () => authorization('gcos')['authorization']!;
const post = (headers: string[], body: string) => [`POST /v1/advices HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers, '', body].join('\r\n');

describe('a header that may appear once, given twice', () => {
  const body = JSON.stringify(validAdvice({ adviceId: 'AMB-HDR', bsn: syntheticBsn(181) }));
  const length = `Content-Length: ${Buffer.byteLength(body)}`;
  it.each([
    ['Authorization', [`Authorization: ${token()}`, `authorization: ${token()}`, 'Content-Type: application/json', length]],
    [
      'Authorization (a second one without credentials)',
      [`Authorization: ${token()}`, 'Authorization: Bearer other', 'Content-Type: application/json', length],
    ],
    ['Content-Type', [`Authorization: ${token()}`, 'Content-Type: application/json', 'Content-Type: text/plain', length]],
    ['Content-Encoding', [`Authorization: ${token()}`, 'Content-Type: application/json', 'Content-Encoding: identity', 'Content-Encoding: identity', length]],
  ])('%s: 400 BRIDGE_DUPLICATE_HEADER, nothing stored', async (name, headers) => {
    const before = await countRows(bridge.services.pool);
    const res = await raw(post(headers, body));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'BRIDGE_DUPLICATE_HEADER', detail: expect.stringContaining(name.split(' ')[0]!) });
    expect(await countRows(bridge.services.pool)).toEqual(before);
  });

  it('Content-Length: 400 (Node refuses it before routing; answered with a problem document)', async () => {
    const res = await raw(post([`Authorization: ${token()}`, 'Content-Type: application/json', length, length], body));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'BRIDGE_DUPLICATE_HEADER' });
  });

  it('the same request with each header once is taken', async () => {
    const res = await raw(post([`Authorization: ${token()}`, 'Content-Type: application/json', length], body));
    expect(res.status, res.body).toBe(202);
  });
});

describe('a body shorter than its Content-Length', () => {
  it('is answered 408 when REQUEST_TIMEOUT_MS runs out, not dropped; nothing stored', async () => {
    const before = await countRows(bridge.services.pool);
    const body = JSON.stringify(validAdvice({ adviceId: 'AMB-SHORT', bsn: syntheticBsn(182) }));
    const res = await raw(post([`Authorization: ${token()}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body) + 100}`], body));
    expect(res.status).toBe(408);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ status: 408, code: 'BRIDGE_REQUEST_TIMEOUT' });
    expect(res.ms).toBeGreaterThanOrEqual(900);
    expect(res.ms).toBeLessThan(5_000);
    expect(await countRows(bridge.services.pool)).toEqual(before);
  });
});

describe('duplicate member names in a JSON body', () => {
  it.each([
    ['at the top', (t: string) => t.replace(/^\{/, '{"adviceId": "FIRST",'), '/adviceId'],
    ['nested', (t: string) => t.replace('"subject":{', '"subject":{"bsn":"999990019",'), '/subject/bsn'],
    ['spelt with an escape', (t: string) => t.replace(/^\{/, '{"\\u0061dviceId": "FIRST",'), '/adviceId'],
  ])('%s: 400 BRIDGE_DUPLICATE_MEMBER naming the pointer, nothing stored', async (_name, edit, pointer) => {
    const before = await countRows(bridge.services.pool);
    const payload = edit(JSON.stringify(validAdvice({ adviceId: 'AMB-DUP', bsn: syntheticBsn(183) })));
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_DUPLICATE_MEMBER', errors: [{ code: 'FIELD_DUPLICATE_MEMBER', pointer }] });
    expect(await countRows(bridge.services.pool)).toEqual(before);
  });

  it('inside an advice of a batch', async () => {
    const advice = JSON.stringify(validAdvice({ adviceId: 'AMB-DUP-B', bsn: syntheticBsn(184) })).replace(/^\{/, '{"goal": "x",');
    const res = await bridge.inject({
      method: 'POST',
      url: '/v1/advice-batches',
      payload: `{"advices": [${advice}]}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_DUPLICATE_MEMBER', errors: [{ pointer: '/advices/0/goal' }] });
  });
});

describe('a body that is not plain UTF-8', () => {
  const payload = () => JSON.stringify(validAdvice({ adviceId: 'AMB-ENC', bsn: syntheticBsn(185) }));
  it.each([
    { headers: { 'content-encoding': 'br' }, code: 'BRIDGE_UNSUPPORTED_ENCODING' },
    { headers: { 'content-encoding': 'gzip' }, code: 'BRIDGE_UNSUPPORTED_ENCODING' },
    { headers: { 'content-type': 'application/json; charset=iso-8859-1' }, code: 'BRIDGE_UNSUPPORTED_MEDIA_TYPE' },
    { headers: { 'content-type': 'application/json; charset=utf-16' }, code: 'BRIDGE_UNSUPPORTED_MEDIA_TYPE' },
    { headers: { 'content-type': 'application/json; charset=utf-8; charset=latin1' }, code: 'BRIDGE_UNSUPPORTED_MEDIA_TYPE' },
  ])('$headers: 415 $code, nothing stored', async ({ headers, code }) => {
    const before = await countRows(bridge.services.pool);
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: payload(), headers: { 'content-type': 'application/json', ...headers } });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ status: 415, code });
    expect(await countRows(bridge.services.pool)).toEqual(before);
  });

  it('identity and charset=UTF-8 are taken', async () => {
    const res = await bridge.inject({
      method: 'POST',
      url: '/v1/advices',
      payload: payload(),
      headers: { 'content-type': 'application/json; charset="UTF-8"', 'content-encoding': 'identity' },
    });
    expect(res.statusCode, res.body).toBe(202);
  });
});

describe('a known path with a method it does not have', () => {
  it.each([
    ['DELETE', '/v1/advices', 'POST'],
    ['GET', '/v1/advices', 'POST'],
    ['PUT', '/v1/advice-batches', 'POST'],
    ['POST', '/v1/records/00000000-0000-4000-8000-000000000000', 'GET, HEAD'],
    ['DELETE', '/health/live', 'GET, HEAD'],
  ])('%s %s: 405 with Allow: %s', async (method, url, allow) => {
    const res = await bridge.inject({ method, url });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe(allow);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 405, code: 'BRIDGE_METHOD_NOT_ALLOWED', instance: url });
  });

  it('an unknown path is still 404', async () => {
    expect((await bridge.inject({ method: 'DELETE', url: '/v1/nothing-here' })).statusCode).toBe(404);
  });
});

describe('problem documents have a ceiling', () => {
  const unknownKeys = (n: number, into: Record<string, unknown> = {}) => {
    for (let i = 0; i < n; i++) into[`k${i}`] = 1;
    return into;
  };

  it.each([
    ['an advice', '/v1/advices', (n: number) => unknownKeys(n, validAdvice({ adviceId: 'CEIL-1' })), ''],
    ['a batch envelope', '/v1/advice-batches', (n: number) => unknownKeys(n, { advices: [validAdvice()] }), ''],
    ['an advice in a batch', '/v1/advice-batches', (n: number) => ({ advices: [unknownKeys(n, validAdvice())] }), '/advices/0'],
  ])('%s with 300,000 unknown keys: refused before it is parsed, one problem at the crowded object', async (_name, url, body, pointer) => {
    const payload = JSON.stringify(body(300_000));
    const res = await bridge.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_VALIDATION_FAILED', errors: [{ code: 'FIELD_TOO_MANY_MEMBERS', pointer }] });
    expect(res.body.length).toBeLessThan(2_000);
  });

  it(`an advice with 900 unknown keys: ${MAX_LISTED_ERRORS} listed, the rest counted`, async () => {
    const payload = JSON.stringify(unknownKeys(900, validAdvice({ adviceId: 'CEIL-2' })));
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ errors: { pointer: string }[]; errorsOmitted: number }>();
    expect(problem.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(problem.errors[0]!.pointer).toBe('/k0');
    expect(problem.errorsOmitted).toBe(900 - MAX_LISTED_ERRORS);
  });

  it('a batch envelope with 900 unknown keys', async () => {
    const payload = JSON.stringify(unknownKeys(900, { advices: [validAdvice()] }));
    const res = await bridge.inject({ method: 'POST', url: '/v1/advice-batches', payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ errors: unknown[]; errorsOmitted: number }>();
    expect(problem.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(problem.errorsOmitted).toBe(900 - MAX_LISTED_ERRORS);
  });

  it(`an advice of more than ${MAX_FULLY_CHECKED_VALUES} values: checked up to its first problem`, async () => {
    const payload = JSON.stringify({ ...validAdvice({ adviceId: 'CEIL-3' }), extra: Array.from({ length: 20_000 }, () => [1]) });
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ detail: string; errors: unknown[] }>();
    expect(problem).toMatchObject({ code: 'BRIDGE_VALIDATION_FAILED', errors: [{ code: 'FIELD_UNKNOWN', pointer: '/extra' }] });
    expect(problem.detail).toContain('only its first problem');
  });

  it('the items of a batch share one budget of listed problems', async () => {
    const advices = Array.from({ length: 12 }, (_, i) => unknownKeys(60, validAdvice({ adviceId: `CEIL-B-${i}` })));
    const res = await bridge.inject({ method: 'POST', url: '/v1/advice-batches', payload: { advices } });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { status: number; problem: { errors?: unknown[]; errorsOmitted?: number } }[] }>().items;
    const listed = items.map((i) => i.problem.errors?.length ?? 0);
    expect(listed.reduce((a, b) => a + b, 0)).toBe(MAX_LISTED_ERRORS_PER_BATCH);
    expect(listed[0]).toBe(MAX_LISTED_ERRORS);
    expect(items[0]!.problem.errorsOmitted).toBe(60 - MAX_LISTED_ERRORS);
    expect(items[11]!.problem).toMatchObject({ status: 400, code: 'BRIDGE_VALIDATION_FAILED', errorsOmitted: 60 });
    expect(items[11]!.problem.errors).toBeUndefined();
  });
});

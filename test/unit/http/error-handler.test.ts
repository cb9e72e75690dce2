// The error handler's mapping of failures that no route of the bridge raises on purpose: an unexpected exception,
// and an error carrying status 405 or 406 (Fastify itself answers a wrong method with 404; a plugin may raise them).
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../src/http/error-handler.ts';

const app = Fastify({ logger: false });
installErrorHandling(app);
const withStatus = (statusCode: number) => Object.assign(new Error(`status ${statusCode}`), { statusCode });
app.get('/crash', async () => {
  throw new Error('relation "records" does not exist');
});
app.get('/method', async () => {
  throw withStatus(405);
});
app.get('/accept', async () => {
  throw withStatus(406);
});
afterAll(() => app.close());

async function problemAt(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json<Record<string, unknown>>() };
}

describe('the error handler', () => {
  it('answers an unexpected exception with BRIDGE_INTERNAL and a generic detail', async () => {
    const p = await problemAt('/crash');
    expect(p.status).toBe(500);
    expect(p.type).toMatch(/^application\/problem\+json/);
    expect(p.body).toMatchObject({ code: 'BRIDGE_INTERNAL', detail: 'Internal error', instance: '/crash' });
    expect(JSON.stringify(p.body)).not.toContain('records');
  });

  it('answers an error with status 405 with BRIDGE_METHOD_NOT_ALLOWED', async () => {
    expect(await problemAt('/method')).toMatchObject({ status: 405, body: { code: 'BRIDGE_METHOD_NOT_ALLOWED', status: 405 } });
  });

  it('answers an error with status 406 with BRIDGE_NOT_ACCEPTABLE', async () => {
    expect(await problemAt('/accept')).toMatchObject({ status: 406, body: { code: 'BRIDGE_NOT_ACCEPTABLE', status: 406 } });
  });
});

// Abuse limits: per-client rate limits (429), load shedding (503), both with Retry-After; security headers; and
// no personal data accepted in URLs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { countRows } from '../../support/db.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';

const RECORD = '/v1/records/00000000-0000-4000-8000-000000000000';

describe('per-client rate limit', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ relay: false, env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('answers 429 with Retry-After once a client passes its limit, and counts each client on its own', async () => {
    for (let i = 0; i < 3; i++) expect((await bridge.inject({ method: 'GET', url: RECORD }, 'gcos')).statusCode).toBe(404);
    const over = await bridge.inject({ method: 'GET', url: RECORD }, 'gcos');
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json()).toMatchObject({ code: 'BRIDGE_RATE_LIMITED', status: 429 });
    // A refused submission stores nothing.
    const before = await countRows(bridge.services.pool);
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'RL-1' }) }, 'gcos')).statusCode).toBe(429);
    expect(await countRows(bridge.services.pool)).toEqual(before);

    expect((await bridge.inject({ method: 'GET', url: RECORD }, 'ops')).statusCode).toBe(404);
    expect((await bridge.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('load shedding on the database', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ relay: false, env: { PG_POOL_MAX: '1', SHED_DB_WAITING: '1', SHED_RETRY_AFTER_SECONDS: '7' } });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('answers 503 with Retry-After while requests queue for a database connection, and serves again after', async () => {
    const held = await bridge.services.pool.connect(); // the pool's only connection
    const queued = bridge.services.pool.query('SELECT 1'); // now one waits
    try {
      const before = await countRows({ query: (sql: string) => held.query(sql) } as never);
      const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'SHED-1', bsn: syntheticBsn(50) }) });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.json()).toMatchObject({ code: 'BRIDGE_OVERLOADED', status: 503 });
      expect(await countRows({ query: (sql: string) => held.query(sql) } as never)).toEqual(before);
      // Liveness is never shed.
      expect((await bridge.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      held.release();
      await queued;
    }
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'SHED-1', bsn: syntheticBsn(50) }) })).statusCode).toBe(
      202,
    );
    const metrics = await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops');
    expect(metrics.body).toContain('bridge_http_requests_shed_total{reason="databaseWaiting"} 1');
  });
});

describe('load shedding on the event loop', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ relay: false, env: { SHED_EVENT_LOOP_DELAY_MS: '50', SHED_SAMPLE_INTERVAL_MS: '10', SHED_RETRY_AFTER_SECONDS: '7' } });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('answers 503 when the event loop falls behind, but keeps answering liveness', async () => {
    const blockThenAsk = async () => {
      const until = Date.now() + 250;
      while (Date.now() < until); // a stalled event loop, as under a CPU-bound burst
      await new Promise((r) => setTimeout(r, 0)); // let the sampler see it
      const [live, post] = [await bridge.app.inject({ method: 'GET', url: '/health/live' }), await bridge.inject({ method: 'GET', url: RECORD })];
      return { live: live.statusCode, post: post.statusCode, retryAfter: post.headers['retry-after'] };
    };
    await expect.poll(blockThenAsk, { timeout: 20_000, interval: 50 }).toEqual({ live: 200, post: 503, retryAfter: '7' });
  });
});

describe('URLs and headers', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ relay: false });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('refuses a URL holding a BSN-like number, on any path and percent-encoded too, and never logs it', async () => {
    const bsn = syntheticBsn(51);
    const encoded = [...bsn].map((d) => `%3${d}`).join('');
    for (const url of [`/v1/records/${bsn}`, `/v1/persons/${bsn}`, `/v1/advices?bsn=${bsn}`, `/v1/records/${encoded}`, `/health/live?x=${bsn}`]) {
      const res = await bridge.inject({
        method: url.startsWith('/v1/advices') ? 'POST' : 'GET',
        url,
        payload: url.startsWith('/v1/advices') ? validAdvice({ bsn }) : undefined,
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: 'BRIDGE_URL_REFUSED' });
      expect(res.body).not.toContain(bsn);
    }
    expect(await countRows(bridge.services.pool)).toEqual({ records: 0, outbox: 0 });
    expect(bridge.logs.text()).not.toContain(bsn);
  });

  it('refuses a query string on a route that takes none', async () => {
    const res = await bridge.inject({ method: 'GET', url: `${RECORD}?name=Jansen` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_URL_REFUSED' });
    expect(bridge.logs.text()).not.toContain('Jansen');
  });

  it('keeps an opaque X-Request-Id, and replaces one that could carry a BSN, a name or other text', async () => {
    const bsn = syntheticBsn(52);
    for (const id of ['4bf92f35-77b3-4da6-a3ce-929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736']) {
      expect((await bridge.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': id } })).headers['x-request-id']).toBe(id);
    }
    for (const id of [bsn, `abcdef${bsn}`, 'Jansen', '1990-01-01', 'gcos-req-42', 'Jansen; DROP', 'a'.repeat(65)]) {
      const res = await bridge.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(bridge.logs.text()).not.toContain(bsn);
  });

  it('sends security headers on answers and on refusals', async () => {
    for (const res of [await bridge.app.inject({ method: 'GET', url: '/health/live' }), await bridge.app.inject({ method: 'GET', url: RECORD })]) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
        'cache-control': 'no-store',
      });
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['strict-transport-security']).toBeUndefined(); // plain HTTP here; see the mutual TLS test
    }
  });
});

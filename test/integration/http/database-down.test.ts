// When PostgreSQL is unreachable, a submission gets 503 with Retry-After: never a 500, never a false 202.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { validAdvice } from '../../support/fixtures.ts';

let bridge: TestBridge;
beforeAll(async () => {
  // Port 1 on loopback: connections are refused at once, as during a database restart.
  bridge = await startBridge({ databaseUrl: 'postgres://bridge@127.0.0.1:1/bridge', relay: false, env: { PG_CONNECT_TIMEOUT_MS: '500' } });
});
afterAll(async () => {
  await bridge?.close();
});

describe('with the database down', () => {
  it('answers a submission with 503 and Retry-After', async () => {
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice() });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ code: 'BRIDGE_UNAVAILABLE', status: 503 });
  });

  it('answers a status read with 503, and readiness with 503 naming the database', async () => {
    const status = await bridge.inject({ method: 'GET', url: '/v1/records/00000000-0000-4000-8000-000000000000' });
    expect(status.statusCode).toBe(503);
    const ready = await bridge.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { database: { status: 'failing' }, kafka: { status: 'ok' } } });
  });

  it('still answers a metrics scrape', async () => {
    const res = await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('bridge_records_refused_total{kind="advice",code="BRIDGE_UNAVAILABLE"} 1');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { validAdvice } from '../../support/fixtures.ts';

describe('health', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('answers liveness without credentials', async () => {
    const res = await bridge.app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'live' });
  });

  it('is ready when PostgreSQL and Kafka answer and the relay keeps up, and tells no configuration', async () => {
    const res = await bridge.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { database: { status: 'ok' }, kafka: { status: 'ok' }, relay: { status: 'ok' } } });
    for (const secret of [bridge.config.databaseUrl, ...bridge.config.kafkaBrokers, bridge.config.pseudonymKey, '127.0.0.1']) {
      expect(res.body).not.toContain(secret);
    }
  });
});

describe('readiness and the relay', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    // The relay is off, so the outbox only grows: readiness must say so once the oldest row passes the limit.
    bridge = await startBridge({ relay: false, env: { READY_MAX_OUTBOX_AGE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('turns 503 naming the relay when the oldest undelivered message is older than the limit', async () => {
    const posted = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'VH-LAG-1' }) });
    expect(posted.statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 1_300));
    const res = await bridge.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 503,
      code: 'BRIDGE_NOT_READY',
      title: expect.any(String),
      detail: 'Failing: relay',
      checks: { database: { status: 'ok' }, kafka: { status: 'ok' }, relay: { status: 'failing', pending: 3, limitSeconds: 1 } },
    });

    bridge.services.relay.start();
    await expect.poll(async () => (await bridge.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, { timeout: 15_000, interval: 200 }).toBe(200);
  });
});

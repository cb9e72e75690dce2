import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { validAdvice } from '../../support/fixtures.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

describe('GET /metrics', () => {
  it('counts requests by route, accepted and refused records by code, relay sends and the backlog', async () => {
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'MET-1' }) })).statusCode).toBe(202);
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: { adviceId: 'x' } })).statusCode).toBe(400);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    await bridge.services.scheduler.runNow('outbox-cleanup');

    const res = await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('bridge_http_requests_total{route="/v1/advices",method="POST",status="202"} 1');
    expect(text).toContain('bridge_http_requests_total{route="/v1/advices",method="POST",status="400"} 1');
    expect(text).toContain('bridge_records_accepted_total{kind="advice"} 1');
    expect(text).toContain('bridge_records_refused_total{kind="advice",code="BRIDGE_VALIDATION_FAILED"} 1');
    expect(text).toContain('bridge_relay_messages_sent_total 3'); // one advice, three recipients under the default policy
    expect(text).toMatch(/bridge_relay_send_duration_seconds_count 1/);
    expect(text).toContain('bridge_outbox_pending 0');
    // Slots are shared among live relays and re-checked every second (decision 0080): a lone relay comes to hold
    // all 64, but a session it dropped and reopened may count as a member for a moment.
    await expect
      .poll(async () => (await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops')).body.match(/^bridge_relay_owned_slots (\d+)$/m)?.[1], {
        timeout: 10_000,
      })
      .toBe('64');
    expect(text).toContain('bridge_job_runs_total{job="outbox-cleanup",status="succeeded"} 1');
    expect(text).toContain('process_resident_memory_bytes');
  });
});

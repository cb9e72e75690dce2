// No personal data in the service's logs: every ingest flow runs (accepted, replayed, conflicting, malformed,
// refused by rule and by policy, a recipient view with pseudonyms, a subject access report, the jobs), at the
// most talkative log level, and the captured output holds none of the BSNs, names or birth dates used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { daysFromToday, FIXTURE_PERSONAL_DATA, syntheticBsn, validAdvice } from '../../support/fixtures.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ env: { LOG_LEVEL: 'trace' } });
});
afterAll(async () => {
  await bridge?.close();
});

describe('the service log', () => {
  it('holds no BSN, name or birth date from any ingest flow', async () => {
    const bsns = [syntheticBsn(90), syntheticBsn(91), syntheticBsn(92), '999990018'];
    const juvenileBirth = daysFromToday(-15 * 366);
    const health = 'Bekend bij de GGZ-crisisdienst.';
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      bridge.inject({ method: 'POST', url: '/v1/advices', payload: body as object, headers });
    const statuses: number[] = [];

    const accepted = await post(validAdvice({ adviceId: 'PII-1', bsn: bsns[0] }), { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    statuses.push(accepted.statusCode, (await post(validAdvice({ adviceId: 'PII-1', bsn: bsns[0] }))).statusCode);
    statuses.push((await post(validAdvice({ adviceId: 'PII-1', bsn: bsns[0], goal: 'Een ander doel.' }))).statusCode);
    const juvenile = validAdvice({ adviceId: 'PII-2', bsn: bsns[1] }) as Record<string, unknown> & { subject: Record<string, unknown> };
    juvenile.subject['dateOfBirth'] = juvenileBirth;
    juvenile['recommendation'] = { disposal: 'halt', conditions: [{ code: 'schadevergoeding' }] };
    statuses.push((await post(juvenile)).statusCode);
    statuses.push((await post({ ...validAdvice({ adviceId: 'PII-3', bsn: bsns[2] }), [bsns[2]!]: bsns[2], adviceDate: 'yesterday' })).statusCode);
    statuses.push((await post(validAdvice({ adviceId: 'PII-4', bsn: bsns[3] }))).statusCode);
    statuses.push((await post({ ...validAdvice({ adviceId: 'PII-5', bsn: bsns[2] }), legalBasis: 'nl.onbekend' })).statusCode);
    const withHealth = validAdvice({ adviceId: 'PII-6', bsn: bsns[2] });
    (withHealth['context'] as Record<string, unknown>)['health'] = health;
    statuses.push((await post(withHealth)).statusCode);
    expect(statuses).toEqual([202, 202, 409, 202, 400, 422, 422, 422]);

    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    await bridge.inject({ method: 'GET', url: accepted.json<{ statusUrl: string }>().statusUrl });
    for (const bsn of bsns) await bridge.inject({ method: 'POST', url: '/v1/subject-access-reports', payload: { bsn } }, 'privacy');
    await bridge.services.pool.query(`UPDATE records SET received_at = now() - interval '600 days'`);
    for (const job of ['retention', 'audit-verify', 'outbox-cleanup']) expect((await bridge.services.scheduler.runNow(job)).status).toBe('succeeded');

    const text = bridge.logs.text();
    expect(bridge.logs.lines.length).toBeGreaterThan(20); // the flows above were logged at all
    for (const secret of [...bsns, ...FIXTURE_PERSONAL_DATA, juvenileBirth, health, 'GGZ']) expect(text, secret).not.toContain(secret);
  });
});

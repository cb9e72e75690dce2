// Retention: past the policy's retention a record keeps only a skeleton without personal data, its outbox
// views are gone, the processing log loses its link to the person but stays verifiable, and the purge is logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarantine } from '../../../src/inbound/take-case-event.ts';
import { retentionJob } from '../../../src/jobs/retention.ts';
import { verifyProcessingLog } from '../../../src/processing-log/verify.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { syntheticBsn, validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { logRows } from '../../support/processing-log.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

const post = async (adviceId: string, bsn: string) => {
  const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId, bsn }) });
  expect(res.statusCode).toBe(202);
  return res.json<{ id: string }>().id;
};

describe('retention job', () => {
  it('removes personal data past retention, keeps a skeleton, logs the purge, and the log still verifies', async () => {
    const pool = bridge.services.pool;
    const oldBsn = syntheticBsn(80);
    const old = await post('RET-OLD', oldBsn);
    const young = await post('RET-YOUNG', syntheticBsn(81));
    await bridge.inject({ method: 'POST', url: '/v1/subject-access-reports', payload: { bsn: oldBsn } }, 'privacy');
    // The advice retention is 548 days: make one record older than that.
    await pool.query(`UPDATE records SET received_at = now() - interval '600 days' WHERE id = $1`, [old]);

    const outcome = await bridge.services.scheduler.runNow('retention');
    expect(outcome).toMatchObject({ status: 'succeeded', detail: { purged: { advice: 1 }, undeliveredRemoved: 3, lookupsUnlinked: 0 } });

    const { rows } = await pool.query<{ id: string; body: unknown; subject_key: string | null; status: string; purged_at: Date | null; receipt: unknown }>(
      'SELECT id, body, subject_key, status, purged_at, receipt FROM records ORDER BY external_id',
    );
    expect(rows.find((r) => r.id === old)).toMatchObject({
      body: null,
      subject_key: null,
      status: 'purged',
      purged_at: expect.any(Date),
      receipt: expect.objectContaining({ externalId: 'RET-OLD' }),
    });
    expect(rows.find((r) => r.id === young)).toMatchObject({ status: 'accepted', purged_at: null, body: expect.objectContaining({ adviceId: 'RET-YOUNG' }) });
    const outbox = await pool.query<{ record_id: string }>('SELECT DISTINCT record_id FROM outbox');
    expect(outbox.rows.map((r) => r.record_id)).toEqual([young]);

    const entries = await logRows(pool, 'record_id = $1', [old]);
    expect(entries.map((e) => e.operation).sort()).toEqual(['disclosed', 'disclosed', 'disclosed', 'purged', 'received']);
    expect(entries.every((e) => e.subject_id === null)).toBe(true);
    expect(entries.find((e) => e.operation === 'purged')).toMatchObject({
      actor: 'bridge:retention',
      legal_basis: 'avg.art-5.1.e',
      detail: expect.objectContaining({ retentionDays: 548 }),
    });
    expect((await logRows(pool, 'record_id = $1 AND subject_id IS NOT NULL', [young])).length).toBe(4);
    expect(JSON.stringify(await pool.query('SELECT * FROM records WHERE id = $1', [old]))).not.toContain(oldBsn);
    expect(await verifyProcessingLog(pool)).toMatchObject({ intact: true });

    // The status still answers, and a report about the person no longer finds what was purged.
    expect((await bridge.inject({ method: 'GET', url: `/v1/records/${old}` })).json()).toMatchObject({ status: 'purged', deliveries: [] });
    const report = (await bridge.inject({ method: 'POST', url: '/v1/subject-access-reports', payload: { bsn: oldBsn } }, 'privacy')).json<{
      records: unknown[];
      disclosures: unknown[];
    }>();
    expect(report).toMatchObject({ records: [], disclosures: [] });

    // Running it again purges nothing more.
    expect(await bridge.services.scheduler.runNow('retention')).toMatchObject({ status: 'succeeded', detail: { purged: { advice: 0 } } });
  });

  it('unlinks lookups from the person after the policy says, and keeps the chain intact', async () => {
    const pool = bridge.services.pool;
    const linked = async () => (await logRows(pool, `operation = 'looked-up' AND subject_id IS NOT NULL`)).length;
    expect(await linked()).toBeGreaterThan(0);
    const job = retentionJob('0 0 * * *', bridge.services.plan);
    const later = new Date(Date.now() + 366 * 86_400_000);
    const detail = await job.run({ pool, logger: bridge.services.logger, now: later });
    expect(detail['lookupsUnlinked']).toBeGreaterThan(0);
    expect(await linked()).toBe(0);
    expect(await verifyProcessingLog(pool)).toMatchObject({ intact: true });
  });

  it('erases a quarantined message past the case-event retention, and its dead letter and link to the person', async () => {
    const pool = bridge.services.pool;
    const { pseudonymiser, plan, metrics, deadLetterTopic } = bridge.services;
    const deps = { pool, plan, pseudonymiser, metrics, bridgeOin: bridge.config.bridgeOin, deadLetterTopic };
    const put = async (bsn: string) => {
      const raw = Buffer.from(JSON.stringify(validCaseEvent('case-closed', { bsn, municipalityCode: 'GM9998' })));
      const o = await quarantine(deps, { value: raw, origin: 'kafka:test/0/1', actor: 'test' }, raw, 'BRIDGE_POLICY_REFUSED', []);
      if (o.outcome !== 'quarantined') throw new Error(o.outcome);
      return o.quarantineId;
    };
    const oldBsn = syntheticBsn(82);
    const old = await put(oldBsn);
    const young = await put(syntheticBsn(83));
    const report = async (bsn: string) =>
      (await bridge.inject({ method: 'POST', url: '/v1/subject-access-reports', payload: { bsn } }, 'privacy')).json<{ quarantined: { id: string }[] }>();
    expect((await report(oldBsn)).quarantined.map((q) => q.id)).toEqual([old]);
    // The case-event retention is 548 days.
    await pool.query(`UPDATE quarantine SET received_at = now() - interval '600 days' WHERE id = $1`, [old]);

    const outcome = await bridge.services.scheduler.runNow('retention');
    expect(outcome).toMatchObject({ status: 'succeeded', detail: { quarantinePurged: 1, undeliveredRemoved: 1 } });

    const rows = await pool.query<{ id: string; raw_value: string; subject_key: string | null; status: string; purged_at: Date | null; reason_code: string }>(
      'SELECT id, raw_value, subject_key, status, purged_at, reason_code FROM quarantine WHERE id = ANY($1::uuid[])',
      [[old, young]],
    );
    expect(rows.rows.find((r) => r.id === old)).toEqual({
      id: old,
      raw_value: '',
      subject_key: null,
      status: 'discarded',
      purged_at: expect.any(Date),
      reason_code: 'BRIDGE_POLICY_REFUSED',
    });
    expect(rows.rows.find((r) => r.id === young)).toMatchObject({ status: 'open', purged_at: null, subject_key: expect.any(String) });
    expect(rows.rows.find((r) => r.id === young)!.raw_value).toContain(syntheticBsn(83));
    const deadLetters = await pool.query<{ quarantine_id: string }>('SELECT quarantine_id FROM outbox WHERE quarantine_id IS NOT NULL');
    expect(deadLetters.rows.map((r) => r.quarantine_id)).toEqual([young]);
    expect(JSON.stringify((await pool.query('SELECT * FROM quarantine WHERE id = $1', [old])).rows)).not.toContain(oldBsn);

    const purged = await logRows(pool, `operation = 'purged' AND detail ->> 'quarantineId' = $1`, [old]);
    expect(purged).toEqual([
      expect.objectContaining({
        actor: 'bridge:retention',
        subject_id: null,
        legal_basis: 'avg.art-5.1.e',
        detail: expect.objectContaining({ retentionDays: 548 }),
      }),
    ]);
    expect(await verifyProcessingLog(pool)).toMatchObject({ intact: true });
    // The report no longer finds it; a read through the API finds no original; running again erases nothing more.
    expect((await report(oldBsn)).quarantined).toEqual([]);
    expect((await bridge.inject({ method: 'GET', url: `/v1/quarantine/${old}` }, 'ops')).json()).toMatchObject({ status: 'discarded', rawValue: null });
    expect(await bridge.services.scheduler.runNow('retention')).toMatchObject({ status: 'succeeded', detail: { quarantinePurged: 0 } });
  });
});

// An advice whose valid-until passes: marked expired, and exactly one expiry event per recipient that got it,
// however often (and however concurrently) the job runs, also after the outbox rows of the advice are gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import type { IngestDeps } from '../../../src/ingest/prepare.ts';
import { ingestRecord } from '../../../src/ingest/spine.ts';
import { receiptOrThrow } from '../../../src/ingest/outcome.ts';
import { adviceExpiryJob } from '../../../src/jobs/advice-expiry.ts';
import { createJobs } from '../../../src/jobs/index.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { daysFromToday, FIXTURE_PERSONAL_DATA, OM_ZSM, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';

const RECIPIENTS = [OM_ZSM, 'reclassering', 'slachtofferhulp'];
let bridge: TestBridge;
let deps: IngestDeps;

beforeAll(async () => {
  bridge = await startBridge({ env: { OUTBOX_RETENTION_HOURS: '0', FEED_WINDOW_DAYS: '0' } });
  const s = bridge.services;
  // The default exchange policy sends the example advice to the OM's ZSM table, Reclassering and Slachtofferhulp.
  deps = { pool: s.pool, plan: s.plan, pseudonymiser: s.pseudonymiser, metrics: s.metrics, bridgeOin: bridge.config.bridgeOin };
});
afterAll(async () => {
  await bridge?.close();
});

describe('advice expiry', () => {
  it('marks the advice expired and sends exactly one expiry event per recipient, once', async () => {
    const pool = bridge.services.pool;
    const bsn = syntheticBsn(60);
    const short = receiptOrThrow(
      await ingestRecord(deps, KINDS.advice, { door: 'rest', body: { ...validAdvice({ adviceId: 'EXP-SHORT', bsn }), validUntil: daysFromToday(10) } }),
    );
    const long = receiptOrThrow(await ingestRecord(deps, KINDS.advice, { door: 'rest', body: validAdvice({ adviceId: 'EXP-LONG', bsn: syntheticBsn(61) }) })); // valid 180 days
    expect(await waitForDelivery(pool)).toBe(0);

    // The delivered messages are cleaned up (retention 0): the recipients must be known without them.
    expect(await bridge.services.scheduler.runNow('outbox-cleanup')).toMatchObject({ status: 'succeeded', detail: { removed: 2 * RECIPIENTS.length } });
    // Today nothing has expired.
    expect(await bridge.services.scheduler.runNow('advice-expiry')).toMatchObject({ status: 'succeeded', detail: { expired: 0, events: 0 } });

    // Twenty days on, the short advice is past its valid-until. Two runs at once, then a third.
    const job = adviceExpiryJob('0 0 1 1 *', bridge.config.bridgeOin);
    const ctx = { pool, logger: bridge.services.logger, now: new Date(`${daysFromToday(20)}T12:00:00Z`) };
    const concurrent = await Promise.all([job.run(ctx), job.run(ctx)]);
    expect(concurrent.reduce((n, r) => n + (r['events'] as number), 0)).toBe(RECIPIENTS.length);
    expect(concurrent.reduce((n, r) => n + (r['expired'] as number), 0)).toBe(1);
    expect(await job.run(ctx)).toMatchObject({ expired: 0, events: 0 });

    const status = async (id: string) => (await bridge.inject({ method: 'GET', url: `/v1/records/${id}` })).json<{ status: string }>().status;
    expect(await status(short.receipt.id)).toBe('expired');
    expect(await status(long.receipt.id)).toBe('delivered');

    expect(await waitForDelivery(pool)).toBe(0);
    for (const recipient of RECIPIENTS) {
      const messages = await readTopic(bridge.topic('advice', recipient), { count: 3, settleMs: 1_000 });
      const about = (id: string) => messages.filter((m) => (JSON.parse(m.value) as { recordId: string }).recordId === id);
      const [accepted, expired] = [
        about(short.receipt.id).filter((m) => m.headers['ce_type'] === 'nl.justitieketen.zsm.advice.accepted'),
        about(short.receipt.id).filter((m) => m.headers['ce_type'] === 'nl.justitieketen.zsm.advice.expired'),
      ];
      expect(accepted, recipient).toHaveLength(1);
      expect(expired, recipient).toHaveLength(1);
      expect(about(long.receipt.id).map((m) => m.headers['ce_type'])).toEqual(['nl.justitieketen.zsm.advice.accepted']);
      const e = expired[0]!;
      // Same key as the advice (same partition, after it), nothing about the person beyond that pseudonym.
      expect(e.key).toBe(accepted[0]!.key);
      expect(Number(e.offset)).toBeGreaterThan(Number(accepted[0]!.offset));
      expect(JSON.parse(e.value)).toEqual({
        recordId: short.receipt.id,
        kind: 'advice',
        adviceId: 'EXP-SHORT',
        version: 1,
        validUntil: daysFromToday(10),
        expiredAt: ctx.now.toISOString(),
      });
      expect(e.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: `urn:nld:oin:${bridge.config.bridgeOin}:systeem:gcos-zsm-bridge`,
        ce_time: ctx.now.toISOString(),
      });
      for (const personal of [bsn, ...FIXTURE_PERSONAL_DATA]) expect(e.value + JSON.stringify(e.headers)).not.toContain(personal);
    }
  });

  it('is registered with the cron expression from configuration', () => {
    expect(createJobs(bridge.config, bridge.services).find((j) => j.name === 'advice-expiry')).toMatchObject({ cron: '7 * * * *' });
    expect(createJobs({ ...bridge.config, jobAdviceExpiryCron: '5 0 * * *' }, bridge.services).find((j) => j.name === 'advice-expiry')).toMatchObject({
      cron: '5 0 * * *',
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/jobs/scheduler.ts';
import { outboxCleanupJob } from '../../../src/jobs/outbox-cleanup.ts';
import type { Job } from '../../../src/jobs/job.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ env: { OUTBOX_RETENTION_HOURS: '1' } });
});
afterAll(async () => {
  await bridge?.close();
});

describe('outbox clean-up job', () => {
  it('removes delivered rows past retention, keeps younger and undelivered ones, and records the run', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: `JOB-${i}`, bsn: syntheticBsn(20 + i) }) });
      expect(res.statusCode).toBe(202);
    }
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const pool = bridge.services.pool;
    // Age one delivered row past the pull feed's window (longer than the one-hour retention, so it rules); make
    // one pending again (as if never acknowledged).
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM outbox ORDER BY id');
    await pool.query(`UPDATE outbox SET delivered_at = now() - interval '15 days' WHERE id = $1`, [rows[0]!.id]);
    // Past the retention but inside the feed window: kept, the feed still serves it.
    await pool.query(`UPDATE outbox SET delivered_at = now() - interval '2 hours' WHERE id = $1`, [rows[2]!.id]);
    await bridge.services.relay.stop();
    await pool.query(`UPDATE outbox SET delivered_at = NULL, created_at = now() - interval '16 days' WHERE id = $1`, [rows[1]!.id]);

    const outcome = await bridge.services.scheduler.runNow('outbox-cleanup');
    expect(outcome).toMatchObject({ status: 'succeeded', detail: { removed: 1 } });
    const left = await pool.query<{ id: string }>('SELECT id FROM outbox ORDER BY id');
    expect(left.rows.map((r) => r.id)).toEqual(rows.slice(1).map((r) => r.id));
    const runs = await pool.query<{ job: string; status: string; detail: { removed: number } }>('SELECT job, status, detail FROM job_runs');
    expect(runs.rows).toEqual([expect.objectContaining({ job: 'outbox-cleanup', status: 'succeeded', detail: expect.objectContaining({ removed: 1 }) })]);
  });
});

describe('single-runner guard', () => {
  it('runs a job once when two replicas start it at the same time', async () => {
    let runs = 0;
    const slow: Job = {
      name: 'slow-test-job',
      cron: '0 0 1 1 *',
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 500));
        return { runs };
      },
    };
    const { pool, metrics, logger } = bridge.services;
    const a = createScheduler(pool, [slow], metrics, logger, 'replica-a');
    const b = createScheduler(pool, [slow], metrics, logger, 'replica-b');
    const outcomes = await Promise.all([a.runNow('slow-test-job'), b.runNow('slow-test-job')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['skipped', 'succeeded']);
    expect(runs).toBe(1);
  });

  it('runs one cron tick once, whichever replica fires first', async () => {
    let runs = 0;
    const everySecond: Job = { name: 'tick-test-job', cron: '* * * * * *', run: async () => ({ runs: ++runs }) };
    const { pool, metrics, logger } = bridge.services;
    const a = createScheduler(pool, [everySecond], metrics, logger, 'replica-a');
    const b = createScheduler(pool, [everySecond], metrics, logger, 'replica-b');
    a.start();
    b.start();
    await new Promise((r) => setTimeout(r, 2_500));
    await Promise.all([a.stop(), b.stop()]);
    // Ticks are recorded per minute: a job scheduled every second still runs once per minute, cluster-wide.
    const { rows } = await pool.query<{ n: string; ticks: string }>(
      `SELECT count(*) AS n, count(DISTINCT scheduled_for) AS ticks FROM job_runs WHERE job = 'tick-test-job'`,
    );
    expect(Number(rows[0]!.n)).toBe(Number(rows[0]!.ticks));
    expect(runs).toBe(Number(rows[0]!.n));
    expect(runs).toBeGreaterThanOrEqual(1);
  });

  it('records a failed run with its error', async () => {
    const failing: Job = {
      name: 'failing-test-job',
      cron: '0 0 1 1 *',
      run: async () => {
        throw new Error('boom');
      },
    };
    const s = createScheduler(bridge.services.pool, [failing], bridge.services.metrics, bridge.services.logger, 'replica-a');
    expect(await s.runNow('failing-test-job')).toMatchObject({ status: 'failed' });
    const { rows } = await bridge.services.pool.query<{ status: string; detail: { error: string } }>(
      `SELECT status, detail FROM job_runs WHERE job = 'failing-test-job'`,
    );
    expect(rows).toEqual([{ status: 'failed', detail: { error: 'boom' } }]);
  });

  it('builds the clean-up job from configuration', () => {
    expect(outboxCleanupJob('5 * * * *', 24)).toMatchObject({ name: 'outbox-cleanup', cron: '5 * * * *' });
  });
});

// The job_runs table: one row per run of a scheduled job. A cron tick is recorded once across all replicas (the
// unique index on job and scheduled_for), so the first replica to record it runs it.
import type { Pool, Queryable } from './pool.ts';

/** The new run's id, or undefined when this tick was already recorded by another replica. */
export async function startJobRun(c: Queryable, job: string, runner: string, scheduledFor: Date | null): Promise<string | undefined> {
  const { rows } = await c.query<{ id: string }>(
    /* sql */ `INSERT INTO job_runs (job, runner, scheduled_for, status) VALUES ($1, $2, $3, 'running')
     ON CONFLICT (job, scheduled_for) WHERE scheduled_for IS NOT NULL DO NOTHING RETURNING id`,
    [job, runner, scheduledFor],
  );
  return rows[0]?.id;
}

export async function finishJobRun(c: Queryable | Pool, runId: string, status: 'succeeded' | 'failed', detail: Record<string, unknown>): Promise<void> {
  await c.query(/* sql */ `UPDATE job_runs SET status = $2, finished_at = now(), detail = $3 WHERE id = $1`, [runId, status, JSON.stringify(detail)]);
}

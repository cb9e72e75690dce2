// Scheduled jobs with node-cron. Every replica has the timers; one runs each tick: the first to record the tick
// in job_runs wins, and an advisory lock keeps two runs of one job from overlapping.
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { finishJobRun, startJobRun } from '../store/job-runs-repo.ts';
import { tryLockJob, unlockJob } from '../store/locks.ts';
import type { Pool } from '../store/pool.ts';
import type { Job } from './job.ts';

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'skipped';
  detail?: Record<string, unknown>;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Runs a job now (by hand, or from a test), under the same guard. */
  runNow(name: string): Promise<RunOutcome>;
}

export function createScheduler(pool: Pool, jobs: Job[], metrics: Metrics, logger: Logger, runner: string): Scheduler {
  const log = logger.child({ component: 'jobs' });
  const tasks: ScheduledTask[] = [];
  const inFlight = new Set<Promise<RunOutcome>>();

  async function execute(job: Job, scheduledFor: Date | null): Promise<RunOutcome> {
    const client = await pool.connect();
    let runId: string | undefined;
    try {
      if (!(await tryLockJob(client, job.name))) return { status: 'skipped', detail: { reason: 'running elsewhere' } };
      try {
        runId = await startJobRun(client, job.name, runner, scheduledFor);
        if (!runId) return { status: 'skipped', detail: { reason: 'tick already run' } };
        const detail = await job.run({ pool, logger: log.child({ job: job.name }), now: new Date() });
        await finishJobRun(client, runId, 'succeeded', detail);
        metrics.jobRuns.inc({ job: job.name, status: 'succeeded' });
        log.info({ job: job.name, ...detail }, 'job succeeded');
        return { status: 'succeeded', detail };
      } finally {
        await unlockJob(client, job.name);
      }
    } catch (err) {
      metrics.jobRuns.inc({ job: job.name, status: 'failed' });
      log.error({ job: job.name, err: { message: (err as Error).message } }, 'job failed');
      if (runId) {
        await finishJobRun(pool, runId, 'failed', { error: (err as Error).message }).catch(() => undefined);
      }
      return { status: 'failed', detail: { error: (err as Error).message } };
    } finally {
      client.release();
    }
  }

  function track(p: Promise<RunOutcome>): Promise<RunOutcome> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  }

  return {
    start() {
      for (const job of jobs) {
        const task = createTask(
          job.cron,
          async (ctx) => {
            const tick = new Date(ctx.date);
            tick.setSeconds(0, 0);
            await track(execute(job, tick));
          },
          { name: job.name, noOverlap: true, timezone: 'Europe/Amsterdam' },
        );
        void task.start();
        tasks.push(task);
      }
    },
    async stop() {
      await Promise.all(tasks.map(async (t) => t.destroy()));
      tasks.length = 0;
      await Promise.all([...inFlight]);
    },
    runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) return Promise.reject(new Error(`no job named ${name}`));
      return track(execute(job, null));
    },
  };
}

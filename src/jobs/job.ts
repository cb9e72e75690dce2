import type { Logger } from '../logger.ts';
import type { Pool } from '../store/pool.ts';

export interface JobContext {
  pool: Pool;
  logger: Logger;
  now: Date;
}

export interface Job {
  name: string;
  /** Cron expression (Europe/Amsterdam). */
  cron: string;
  /** Does the work; what it returns is stored with the run (counts, never personal data). */
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}

// The scheduled jobs of the service. Each later job is added here.
import type { Config } from '../config.ts';
import { adviceExpiryJob } from './advice-expiry.ts';
import type { Job } from './job.ts';
import { outboxCleanupJob } from './outbox-cleanup.ts';

export function createJobs(config: Config): Job[] {
  return [
    outboxCleanupJob(config.jobOutboxCleanupCron, config.outboxRetentionHours),
    adviceExpiryJob(config.jobAdviceExpiryCron, config.bridgeOin),
  ];
}

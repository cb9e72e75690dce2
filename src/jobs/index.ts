// The scheduled jobs of the service. Each later job is added here.
import type { ExchangePlan } from '../exchange/plan.ts';
import type { Pseudonymiser } from '../privacy/pseudonym.ts';
import { adviceExpiryJob } from './advice-expiry.ts';
import { auditVerifyJob } from './audit-verify.ts';
import type { Job } from './job.ts';
import { outboxCleanupJob } from './outbox-cleanup.ts';
import { retentionJob } from './retention.ts';

export interface JobDeps {
  plan: ExchangePlan;
  pseudonymiser: Pseudonymiser;
}

/** The configuration the jobs read (a part of src/config.ts's Config). */
export interface JobSettings {
  jobOutboxCleanupCron: string;
  outboxRetentionHours: number;
  feedWindowDays: number;
  jobRetentionCron: string;
  jobAuditVerifyCron: string;
  jobAdviceExpiryCron: string;
  bridgeOin: string;
}

export function createJobs(config: JobSettings, deps: JobDeps): Job[] {
  return [
    outboxCleanupJob(config.jobOutboxCleanupCron, Math.max(config.outboxRetentionHours, config.feedWindowDays * 24)),
    retentionJob(config.jobRetentionCron, deps.plan),
    auditVerifyJob(config.jobAuditVerifyCron),
    adviceExpiryJob(config.jobAdviceExpiryCron, config.bridgeOin),
  ];
}

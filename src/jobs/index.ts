// The scheduled jobs of the service. Each later job is added here.
import type { Config } from '../config.ts';
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

export function createJobs(config: Config, deps: JobDeps): Job[] {
  return [
    outboxCleanupJob(config.jobOutboxCleanupCron, config.outboxRetentionHours),
    retentionJob(config.jobRetentionCron, deps.plan),
    auditVerifyJob(config.jobAuditVerifyCron),
    adviceExpiryJob(config.jobAdviceExpiryCron, config.bridgeOin),
  ];
}

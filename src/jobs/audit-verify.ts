// Checks the processing log's hash chains every day. A broken chain fails the run (so it shows in job_runs,
// metrics and the error log); an intact one logs the chain heads, which anchor the chains outside the database:
// entries removed from the end of a chain leave no gap, but a head older than one logged earlier shows it.
import { describeVerification, verifyProcessingLog } from '../processing-log/verify.ts';
import type { Job } from './job.ts';

export function auditVerifyJob(cron: string): Job {
  return {
    name: 'audit-verify',
    cron,
    async run({ pool }) {
      const v = await verifyProcessingLog(pool);
      if (!v.intact) throw new Error(describeVerification(v).join('; '));
      return { entries: v.entries, chains: v.chains, heads: v.heads.map((h) => `${h.chain}:${h.chainSeq}:${h.hash}`) };
    },
  };
}

// Removes personal data past the retention the exchange policy sets per kind: the record's body, its outbox rows
// (the recipient views) and the link between the person and the processing log. What stays is a skeleton
// without personal data, and the purge itself is logged.
//
// Quarantined inbound messages are case events that could not be taken: past the case-event retention (counted
// from when the bridge quarantined them, as a record's from when it was received) their original and their link
// to the person are erased, an open entry becomes discarded, and their dead letter leaves the outbox. A
// discarded entry's original was erased already; its link to the person goes at the same moment.
import { randomBytes } from 'node:crypto';
import type { ExchangePlan } from '../exchange/plan.ts';
import type { LogEntry } from '../processing-log/entry.ts';
import { deleteOutboxOfQuarantine, deleteOutboxOfRecords } from '../store/outbox-repo.ts';
import { appendProcessingLog, unlinkLookupsBefore, unlinkRecordEntries } from '../store/processing-log-repo.ts';
import { claimExpiredQuarantine, purgeQuarantine } from '../store/quarantine-repo.ts';
import { claimExpired, purgeRecords } from '../store/records-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import type { Job } from './job.ts';

const BATCH = 200;
const DAY_MS = 86_400_000;

export function retentionJob(cron: string, plan: ExchangePlan): Job {
  return {
    name: 'retention',
    cron,
    async run({ pool, now }) {
      const policy = plan.policy;
      const activity = policy.processingActivities.retention;
      const traceId = randomBytes(16).toString('hex');
      const purged: Record<string, number> = {};
      let undeliveredRemoved = 0;
      for (const [kind, k] of Object.entries(policy.kinds)) {
        const cutoff = new Date(now.getTime() - k.retentionDays * DAY_MS);
        purged[kind] = 0;
        for (;;) {
          const n = await withTransaction(pool, async (client) => {
            const ids = await claimExpired(client, kind, cutoff, BATCH);
            if (ids.length === 0) return 0;
            const outbox = await deleteOutboxOfRecords(client, ids);
            undeliveredRemoved += outbox.undelivered;
            await purgeRecords(client, ids, now);
            await unlinkRecordEntries(client, ids);
            const entries = ids.map((recordId): LogEntry => ({
              operation: 'purged',
              status: 'ok',
              traceId,
              actor: 'bridge:retention',
              subjectId: null,
              recordId,
              recordKind: kind,
              recipient: null,
              fields: null,
              legalBasis: activity.legalBasis,
              purpose: activity.purpose,
              processingActivity: activity.processingActivity,
              startedAt: now,
              endedAt: new Date(),
              detail: { retentionDays: k.retentionDays, policyVersion: policy.version },
            }));
            await appendProcessingLog(client, entries, `retention:${kind}`);
            return ids.length;
          });
          purged[kind] += n;
          if (n < BATCH) break;
        }
      }
      // The inbound topic carries case events only; without that kind in the policy, the shortest retention.
      const quarantineDays = policy.kinds['case-event']?.retentionDays ?? Math.min(...Object.values(policy.kinds).map((k) => k.retentionDays));
      const quarantineCutoff = new Date(now.getTime() - quarantineDays * DAY_MS);
      let quarantinePurged = 0;
      for (;;) {
        const n = await withTransaction(pool, async (client) => {
          const ids = await claimExpiredQuarantine(client, quarantineCutoff, BATCH);
          if (ids.length === 0) return 0;
          const outbox = await deleteOutboxOfQuarantine(client, ids);
          undeliveredRemoved += outbox.undelivered;
          await purgeQuarantine(client, ids, now);
          const entries = ids.map((quarantineId): LogEntry => ({
            operation: 'purged',
            status: 'ok',
            traceId,
            actor: 'bridge:retention',
            subjectId: null,
            recordId: null,
            recordKind: 'case-event',
            recipient: null,
            fields: null,
            legalBasis: activity.legalBasis,
            purpose: activity.purpose,
            processingActivity: activity.processingActivity,
            startedAt: now,
            endedAt: new Date(),
            detail: { quarantineId, retentionDays: quarantineDays, policyVersion: policy.version },
          }));
          await appendProcessingLog(client, entries, 'retention:quarantine');
          return ids.length;
        });
        quarantinePurged += n;
        if (n < BATCH) break;
      }
      const lookupCutoff = new Date(now.getTime() - activity.lookupRetentionDays * DAY_MS);
      const lookupsUnlinked = await withTransaction(pool, (client) => unlinkLookupsBefore(client, lookupCutoff));
      return { purged, quarantinePurged, undeliveredRemoved, lookupsUnlinked };
    },
  };
}

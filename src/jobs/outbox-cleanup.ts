// Removes delivered outbox rows after the configured age: they hold the recipient views (personal data) and the
// relay has no further use for them. The age is at least the pull feed's window (FEED_WINDOW_DAYS, decision 0110):
// the feed reads these rows.
import { deleteDeliveredBefore } from '../store/outbox-repo.ts';
import type { Job } from './job.ts';

export function outboxCleanupJob(cron: string, retentionHours: number): Job {
  return {
    name: 'outbox-cleanup',
    cron,
    async run({ pool, now }) {
      const cutoff = new Date(now.getTime() - retentionHours * 3_600_000);
      const removed = await deleteDeliveredBefore(pool, cutoff);
      return { removed, cutoff: cutoff.toISOString() };
    },
  };
}

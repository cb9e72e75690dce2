// The NOTIFY that tells other processes (replicas' relays, feed readers, webhook deliverers) that outbox rows
// committed. It is sent after the commit, on its own, never inside the ingest's statement: PostgreSQL serialises
// every transaction that sends a NOTIFY through one database-wide lock, held from the NOTIFY until that commit is
// flushed to disk, so with the NOTIFY inside it each ingest commit waited for the previous one's flush and group
// commit never happened (decision 0114). Sent on its own with synchronous_commit off, the NOTIFY's commit holds
// the lock without waiting for the disk. Calls that come while one is on its way are coalesced into one more.
// Losing one (the process dies between the two commits, or the database is down) costs latency only: every
// listener also polls, and this process wakes its own relay and feed without it.
import { OUTBOX_CHANNEL } from './outbox-repo.ts';
import type { Pool } from './pool.ts';

export interface OutboxNotifier {
  /** Outbox rows just committed: tell the listeners, soon. Never throws; never waits. */
  send(): void;
  /** Resolves when no NOTIFY is on its way. */
  settled(): Promise<void>;
}

export function createOutboxNotifier(pool: Pick<Pool, 'query'>, onError: (err: unknown) => void): OutboxNotifier {
  let inFlight: Promise<void> | null = null;
  let again = false;

  const start = (): void => {
    inFlight = pool
      .query({
        name: 'outbox-notify',
        // Local to this statement's own transaction: its commit does not wait for the WAL flush.
        text: /* sql */ `SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, '')`,
        values: [OUTBOX_CHANNEL],
      })
      .then(
        () => undefined,
        (err: unknown) => onError(err),
      )
      .finally(() => {
        inFlight = null;
        if (again) {
          again = false;
          start();
        }
      });
  };

  return {
    send() {
      if (inFlight) again = true;
      else start();
    },
    async settled() {
      while (inFlight) await inFlight;
    },
  };
}

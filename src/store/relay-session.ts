// The relay's own connection: how it is set up before the relay claims anything on it.
import { joinRelays } from './locks.ts';
import { OUTBOX_CHANNEL } from './outbox-repo.ts';
import type { Queryable } from './pool.ts';

/** Settings for the relay's statements, LISTEN for new outbox rows, and membership of the live relays. */
export async function prepareRelaySession(c: Queryable): Promise<void> {
  // A mark lost in a database crash only means a resend (at least once, same ce_id), so the relay's own writes
  // need not wait for the WAL flush; an ingest's commit still does (its 202 promises the record is stored).
  await c.query(/* sql */ `SET synchronous_commit = off`);
  // The claim must read outbox_pending_by_id in order (migration 093): an index scan marks the entries of rows
  // it finds delivered dead as it passes them, a bitmap scan never does, and the planner, which does not know
  // how many dead entries lie in front of the live ones, takes a bitmap scan and a sort, which then walks every
  // dead entry on each claim until autovacuum comes by.
  await c.query(/* sql */ `SET enable_bitmapscan = off`);
  await c.query(/* sql */ `LISTEN ${OUTBOX_CHANNEL}`);
  await joinRelays(c);
}

// How many slots a replica should hold: an even share of the live relays. Membership is itself an advisory lock
// (one per relay session, keyed by its backend pid), so a replica that dies leaves the count with its session,
// in the same instant its slots fall free.
import type { Queryable } from '../store/pool.ts';

export const MEMBER_LOCK_NAMESPACE = 7_361_003; // first key of the advisory locks that mark a live relay session

/** An even share, rounded up so that the shares always cover every slot. */
export function fairShare(slots: number, members: number): number {
  return Math.ceil(slots / Math.max(1, members));
}

/** Marks this session as a live relay; held until the session ends. */
export async function joinRelays(c: Queryable): Promise<void> {
  await c.query(/* sql */ `SELECT pg_advisory_lock($1, pg_backend_pid())`, [MEMBER_LOCK_NAMESPACE]);
}

/** Live relay sessions on this database (pg_locks is visible to every role, unlike other sessions' details). */
export async function countRelays(c: Queryable): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    /* sql */ `SELECT count(*)::int AS n FROM pg_locks
     WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [MEMBER_LOCK_NAMESPACE],
  );
  return rows[0]?.n ?? 1;
}

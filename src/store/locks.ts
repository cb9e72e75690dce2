// Every PostgreSQL advisory lock the service takes, its key in one table and its statements beside it. Two uses
// that share a key see each other's locks: the relay once counted a running job as a live replica and gave back
// half its slots (test/integration/relay/slot-sharing.test.ts). A test holds the keys distinct and finds no
// `pg_advisory_*` call with a literal key anywhere else.
import type { Queryable } from './pool.ts';

/** The keys. Two-key locks (`pg_advisory_*(key, n)`) use the key as their first half; the migration lock is a
 * one-key lock. PostgreSQL keeps the two forms apart, but the keys stay distinct all the same, so a reader never
 * has to know that. */
export const LOCK_KEYS = {
  /** One-key: serialises migrations across replicas. */
  migrations: 7_361_001,
  /** (key, slot): the replica holding it relays that outbox slot (decision 0080). */
  relaySlot: 7_361_002,
  /** (key, backend pid): marks a live relay session; counted to share the slots. */
  relayMember: 7_361_003,
  /** (key, chain): a processing-log chain's head, held to the end of the transaction. */
  processingLogChain: 7_361_004,
  /** (key, hashtext(job name)): keeps two runs of one scheduled job from overlapping. */
  jobRun: 7_361_005,
  /** (key, hashtext(subscription id)): the replica holding it delivers that webhook subscription (decision 0111). */
  webhookSubscription: 7_361_006,
} as const;

export async function lockMigrations(c: Queryable): Promise<void> {
  await c.query(/* sql */ `SELECT pg_advisory_lock($1)`, [LOCK_KEYS.migrations]);
}

export async function unlockMigrations(c: Queryable): Promise<void> {
  await c.query(/* sql */ `SELECT pg_advisory_unlock($1)`, [LOCK_KEYS.migrations]);
}

/** Marks this session as a live relay; held until the session ends. */
export async function joinRelays(c: Queryable): Promise<void> {
  await c.query(/* sql */ `SELECT pg_advisory_lock($1, pg_backend_pid())`, [LOCK_KEYS.relayMember]);
}

/** Live relay sessions on this database (pg_locks is visible to every role, unlike other sessions' details). */
export async function countRelays(c: Queryable): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    /* sql */ `SELECT count(*)::int AS n FROM pg_locks
     WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [LOCK_KEYS.relayMember],
  );
  return rows[0]?.n ?? 1;
}

/** Takes up to `limit` of the given slots that no other session holds; returns those taken. One statement, so
 * the LIMIT stops the scan once enough locks succeed and no more are taken than asked for. */
export async function tryLockSlots(c: Queryable, slots: readonly number[], limit: number): Promise<number[]> {
  const { rows } = await c.query<{ slot: number }>(/* sql */ `SELECT s AS slot FROM unnest($1::int[]) AS s WHERE pg_try_advisory_lock($2, s) LIMIT $3`, [
    slots,
    LOCK_KEYS.relaySlot,
    limit,
  ]);
  return rows.map((r) => r.slot);
}

export async function unlockSlots(c: Queryable, slots: readonly number[]): Promise<void> {
  await c.query(/* sql */ `SELECT pg_advisory_unlock($2, s) FROM unnest($1::int[]) AS s`, [slots, LOCK_KEYS.relaySlot]);
}

/** True when this session now holds the job's lock; false when another run holds it. */
export async function tryLockJob(c: Queryable, job: string): Promise<boolean> {
  const { rows } = await c.query<{ ok: boolean }>(/* sql */ `SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok`, [LOCK_KEYS.jobRun, job]);
  return rows[0]?.ok === true;
}

export async function unlockJob(c: Queryable, job: string): Promise<void> {
  await c.query(/* sql */ `SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_KEYS.jobRun, job]);
}

/** True when this session now delivers the webhook subscription; false when another replica does. */
export async function tryLockSubscription(c: Queryable, subscriptionId: string): Promise<boolean> {
  const { rows } = await c.query<{ ok: boolean }>(/* sql */ `SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok`, [
    LOCK_KEYS.webhookSubscription,
    subscriptionId,
  ]);
  return rows[0]?.ok === true;
}

export async function unlockSubscription(c: Queryable, subscriptionId: string): Promise<void> {
  await c.query(/* sql */ `SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_KEYS.webhookSubscription, subscriptionId]);
}

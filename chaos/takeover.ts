// Take-over of a dead replica's slots, measured on the database: from the kill until every slot the dead relay
// session held is held again by another session. Relay sessions name their replica (host:pid) in
// application_name, so the harness finds the victim's session without asking the victim.
import { LOCK_KEYS } from '../src/store/locks.ts';
import type { Cluster } from './cluster.ts';
import { sleep } from '../harness/processes.ts';

const SLOT_LOCKS = LOCK_KEYS.relaySlot;

/** The backend pid of a replica's relay session. */
export async function relayBackendOf(cluster: Cluster, replicaPid: number, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const rows = await cluster.query<{ pid: number }>(/* sql */ `SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1`, [
      `gcos-zsm-bridge-relay %:${replicaPid}`,
    ]);
    if (rows[0]) return rows[0].pid;
    await sleep(100);
  }
  throw new Error(`no relay session of replica pid ${replicaPid}`);
}

/** Waits until the session has a batch in flight: it claimed (its last statement is the claim, decision 0092),
 * has been waiting on the broker for 50 ms since, and its slots hold pending rows. A relay waiting for work has
 * marked its last batch (its last statement is the mark) or found nothing pending. False when none came in time. */
export async function waitUntilMidBatch(cluster: Cluster, backend: number, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const [row] = await cluster.query<{ sending: boolean }>(
      /* sql */ `SELECT a.state = 'idle' AND a.query LIKE 'WITH marked AS%' AND a.state_change < clock_timestamp() - interval '50 ms'
              AND EXISTS (SELECT 1 FROM outbox o WHERE o.delivered_at IS NULL AND o.slot IN (
                SELECT l.objid::int FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.classid = $2 AND l.granted)) AS sending
       FROM pg_stat_activity a WHERE a.pid = $1`,
      [backend, SLOT_LOCKS],
    );
    if (row?.sending) return true;
    await sleep(10);
  }
  return false;
}

export interface TakeoverWatch {
  slots: number;
  /** Resolves with the milliseconds from `killedAt` until the others hold every slot the victim held. */
  done(killedAt: number, timeoutMs?: number): Promise<number>;
}

/** Notes the victim's slots now (call just before the kill). */
export async function measureTakeover(cluster: Cluster, backend: number): Promise<TakeoverWatch> {
  const held = await cluster.query<{ slot: number }>(
    /* sql */ `SELECT objid::int AS slot FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND classid = $2 AND granted`,
    [backend, SLOT_LOCKS],
  );
  const slots = held.map((r) => r.slot);
  return {
    slots: slots.length,
    async done(killedAt, timeoutMs = 60_000) {
      while (Date.now() - killedAt < timeoutMs) {
        const [r] = await cluster.query<{ n: number }>(
          /* sql */ `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND granted AND pid <> $2 AND objid::int = ANY($3::int[])`,
          [SLOT_LOCKS, backend, slots],
        );
        if ((r?.n ?? 0) >= slots.length) return Date.now() - killedAt;
        await sleep(20);
      }
      throw new Error(`the other replicas did not take over ${slots.length} slots in ${timeoutMs} ms`);
    },
  };
}

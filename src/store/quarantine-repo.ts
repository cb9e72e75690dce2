// quarantine: inbound messages the bridge could not take, kept with their reason until ops release or discard them,
// and found for the person by the subject's key (the subject access report) until retention erases them.
import type { FieldError } from '../errors.ts';
import type { Pool, Queryable } from './pool.ts';

export interface NewQuarantineEntry {
  id: string;
  origin: string;
  eventId: string | null;
  rawValue: string;
  reasonCode: string;
  reason: FieldError[];
  /** The subject's DOMAIN_INTERNAL pseudonym (as records.subject_key), when the message held a valid BSN. */
  subjectKey: string | null;
  receivedAt: Date;
}

export async function insertQuarantine(client: Queryable, q: NewQuarantineEntry): Promise<void> {
  await client.query(
    /* sql */ `INSERT INTO quarantine (id, origin, event_id, raw_value, reason_code, reason, subject_key, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [q.id, q.origin, q.eventId, q.rawValue, q.reasonCode, JSON.stringify(q.reason), q.subjectKey, q.receivedAt],
  );
}

export interface QuarantineSummary {
  id: string;
  receivedAt: Date;
  origin: string;
  eventId: string | null;
  reasonCode: string;
  reason: FieldError[];
  status: string;
  attempts: number;
  resolvedAt: Date | null;
  recordId: string | null;
}

type Row = {
  id: string;
  received_at: Date;
  origin: string;
  event_id: string | null;
  reason_code: string;
  reason: FieldError[];
  status: string;
  attempts: number;
  resolved_at: Date | null;
  record_id: string | null;
};
const toSummary = (r: Row): QuarantineSummary => ({
  id: r.id,
  receivedAt: r.received_at,
  origin: r.origin,
  eventId: r.event_id,
  reasonCode: r.reason_code,
  reason: r.reason,
  status: r.status,
  attempts: r.attempts,
  resolvedAt: r.resolved_at,
  recordId: r.record_id,
});
const COLUMNS = 'id, received_at, origin, event_id, reason_code, reason, status, attempts, resolved_at, record_id';

/** Entries without their raw value: the list is for triage, and the raw value may hold personal data. */
export async function listQuarantine(pool: Pool, status: string, limit: number): Promise<QuarantineSummary[]> {
  const { rows } = await pool.query<Row>(/* sql */ `SELECT ${COLUMNS} FROM quarantine WHERE status = $1 ORDER BY received_at LIMIT $2`, [status, limit]);
  return rows.map(toSummary);
}

/** Locks one open entry for a release attempt and returns it with its raw value. */
export async function lockOpenEntry(client: Queryable, id: string): Promise<(QuarantineSummary & { rawValue: string }) | undefined> {
  const { rows } = await client.query<Row & { raw_value: string }>(/* sql */ `SELECT ${COLUMNS}, raw_value FROM quarantine WHERE id = $1 FOR UPDATE`, [id]);
  const r = rows[0];
  return r && { ...toSummary(r), rawValue: r.raw_value };
}

/** One entry with its raw value ('' once discarded or erased by retention) and its subject key, for the read by
 * an operator; no lock: the read changes nothing. */
export async function readQuarantineEntry(
  client: Queryable,
  id: string,
): Promise<(QuarantineSummary & { rawValue: string; subjectKey: string | null; purgedAt: Date | null }) | undefined> {
  const { rows } = await client.query<Row & { raw_value: string; subject_key: string | null; purged_at: Date | null }>(
    /* sql */ `SELECT ${COLUMNS}, raw_value, subject_key, purged_at FROM quarantine WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r && { ...toSummary(r), rawValue: r.raw_value, subjectKey: r.subject_key, purgedAt: r.purged_at };
}

/** A person's quarantined messages under any of their keys (key rotation), without the raw value. */
export async function quarantineOfSubject(client: Queryable, subjectKeys: readonly string[]): Promise<QuarantineSummary[]> {
  const { rows } = await client.query<Row>(/* sql */ `SELECT ${COLUMNS} FROM quarantine WHERE subject_key = ANY($1::text[]) ORDER BY received_at, id`, [
    subjectKeys,
  ]);
  return rows.map(toSummary);
}

/** Entries received before the cutoff and not yet erased, locked for the retention job. */
export async function claimExpiredQuarantine(client: Queryable, cutoff: Date, limit: number): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    /* sql */ `SELECT id FROM quarantine WHERE purged_at IS NULL AND received_at < $1
     ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [cutoff, limit],
  );
  return rows.map((r) => r.id);
}

/** Erases the raw value and the link to the person; keeps id, origin, event id, reasons and times. An open entry
 * becomes discarded: there is nothing left to release. */
export async function purgeQuarantine(client: Queryable, ids: readonly string[], at: Date): Promise<void> {
  await client.query(
    /* sql */ `UPDATE quarantine SET raw_value = '', subject_key = NULL, purged_at = $2,
       status = CASE WHEN status = 'open' THEN 'discarded' ELSE status END, resolved_at = COALESCE(resolved_at, $2)
     WHERE id = ANY($1::uuid[])`,
    [ids, at],
  );
}

export async function markReleased(client: Queryable, id: string, recordId: string): Promise<void> {
  await client.query(/* sql */ `UPDATE quarantine SET status = 'released', resolved_at = now(), record_id = $2, attempts = attempts + 1 WHERE id = $1`, [
    id,
    recordId,
  ]);
}

export async function markStillFailing(client: Queryable, id: string, reasonCode: string, reason: FieldError[]): Promise<void> {
  await client.query(/* sql */ `UPDATE quarantine SET attempts = attempts + 1, reason_code = $2, reason = $3 WHERE id = $1`, [
    id,
    reasonCode,
    JSON.stringify(reason),
  ]);
}

export async function markDiscarded(client: Queryable, id: string): Promise<boolean> {
  const res = await client.query(
    /* sql */ `UPDATE quarantine SET status = 'discarded', resolved_at = now(), raw_value = '' WHERE id = $1 AND status = 'open'`,
    [id],
  );
  return res.rowCount === 1;
}

// Records whose last day has passed, marked expired in the caller's transaction. SKIP LOCKED lets a second
// run (another replica, or a run by hand) pass over rows the first is working on instead of waiting for them.
import type { Queryable } from './pool.ts';

export interface ExpiredRecord {
  id: string;
  kind: string;
  externalId: string;
  version: number;
  validUntil: string;
  subjectKey: string;
  traceId: string | null;
}

/** Marks up to `limit` accepted records of `kind` whose valid-until lies before `today` as expired. */
export async function expireDue(client: Queryable, kind: string, today: string, expiredAt: Date, limit: number): Promise<ExpiredRecord[]> {
  const { rows } = await client.query<{
    id: string;
    kind: string;
    external_id: string;
    version: number;
    valid_until: string;
    subject_key: string;
    trace_id: string | null;
  }>(
    /* sql */ `WITH due AS (
       SELECT id FROM records WHERE kind = $1 AND status = 'accepted' AND valid_until < $2::date
       ORDER BY valid_until, id LIMIT $4 FOR UPDATE SKIP LOCKED
     )
     UPDATE records r SET status = 'expired', expired_at = $3 FROM due WHERE r.id = due.id
     RETURNING r.id, r.kind, r.external_id, r.version, r.valid_until::text AS valid_until, r.subject_key, r.trace_id`,
    [kind, today, expiredAt, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    externalId: r.external_id,
    version: r.version,
    validUntil: r.valid_until,
    subjectKey: r.subject_key,
    traceId: r.trace_id,
  }));
}

// The records table: one row per accepted record. Plain SQL, explicit mapping; writes take the caller's client
// so the record commits with its outbox rows.
import type { Pool, Queryable } from './pool.ts';

export interface NewRecord {
  id: string;
  kind: string;
  source: string;
  externalId: string;
  version: number;
  contentHash: Buffer;
  subjectKey: string;
  body: unknown;
  receipt: unknown;
  traceId: string;
  /** The last day the record may be used (advices), YYYY-MM-DD; null when it does not expire. */
  validUntil: string | null;
}

export type InsertOutcome = { inserted: true } | { inserted: false; existing: { id: string; contentHash: Buffer; receipt: unknown } };

/** The stored record with this one's key, after an insert found the key taken. */
export async function existingRecord(client: Queryable, r: NewRecord): Promise<{ id: string; contentHash: Buffer; receipt: unknown }> {
  const { rows } = await client.query<{ id: string; content_hash: Buffer; receipt: unknown }>(
    /* sql */ `SELECT id, content_hash, receipt FROM records WHERE kind = $1 AND source = $2 AND external_id = $3 AND version = $4`,
    [r.kind, r.source, r.externalId, r.version],
  );
  const row = rows[0];
  if (!row) throw new Error('record vanished between conflict and read'); // only a concurrent purge could do this
  return { id: row.id, contentHash: row.content_hash, receipt: row.receipt };
}

export interface RecordState {
  id: string;
  kind: string;
  source: string;
  externalId: string;
  version: number;
  status: string;
  receivedAt: Date;
}

export async function findRecordState(pool: Pool, id: string): Promise<RecordState | undefined> {
  const { rows } = await pool.query<{ id: string; kind: string; source: string; external_id: string; version: number; status: string; received_at: Date }>(
    /* sql */ `SELECT id, kind, source, external_id, version, status, received_at FROM records WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r && { id: r.id, kind: r.kind, source: r.source, externalId: r.external_id, version: r.version, status: r.status, receivedAt: r.received_at };
}

/** Records of a kind accepted before the cutoff whose personal data are still held; locked for this transaction. */
export async function claimExpired(client: Queryable, kind: string, cutoff: Date, limit: number): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    /* sql */ `SELECT id FROM records WHERE kind = $1 AND purged_at IS NULL AND received_at < $2
     ORDER BY received_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [kind, cutoff, limit],
  );
  return rows.map((r) => r.id);
}

/** Leaves a skeleton: ids, kind, issuer, version, times, receipt and content hash (so a re-sent record is still
 * recognised), without the body or the link to the person. */
export async function purgeRecords(client: Queryable, ids: readonly string[], at: Date): Promise<void> {
  await client.query(/* sql */ `UPDATE records SET body = NULL, subject_key = NULL, status = 'purged', purged_at = $2 WHERE id = ANY($1::uuid[])`, [ids, at]);
}

export interface SubjectRecord {
  id: string;
  kind: string;
  source: string;
  externalId: string;
  version: number;
  status: string;
  receivedAt: Date;
  body: unknown;
}

/** Every record held about a person, by the person's pseudonyms under every key held. */
export async function recordsOfSubject(client: Queryable, subjectKeys: readonly string[]): Promise<SubjectRecord[]> {
  const { rows } = await client.query<{
    id: string;
    kind: string;
    source: string;
    external_id: string;
    version: number;
    status: string;
    received_at: Date;
    body: unknown;
  }>(
    /* sql */ `SELECT id, kind, source, external_id, version, status, received_at, body FROM records
     WHERE subject_key = ANY($1::text[]) ORDER BY received_at, id`,
    [subjectKeys],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    source: r.source,
    externalId: r.external_id,
    version: r.version,
    status: r.status,
    receivedAt: r.received_at,
    body: r.body,
  }));
}

const KEY = (r: { kind: string; source: string; externalId: string; version: number }) => `${r.kind}\u0000${r.source}\u0000${r.externalId}\u0000${r.version}`;

/** Many records in one statement (a batch), outcomes in the order given. A key given twice in one call inserts
 * once; the later one sees the first as existing, exactly as a re-sent record would. */
export async function insertRecords(client: Queryable, rows: readonly NewRecord[]): Promise<InsertOutcome[]> {
  if (rows.length === 0) return [];
  const col = <V>(f: (r: NewRecord) => V) => rows.map(f);
  const ins = await client.query<{ id: string }>(
    /* sql */ `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, trace_id, valid_until)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bytea[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::date[])
     ON CONFLICT (kind, source, external_id, version) DO NOTHING RETURNING id`,
    [
      col((r) => r.id),
      col((r) => r.kind),
      col((r) => r.source),
      col((r) => r.externalId),
      col((r) => r.version),
      col((r) => r.contentHash),
      col((r) => r.subjectKey),
      col((r) => JSON.stringify(r.body)),
      col((r) => JSON.stringify(r.receipt)),
      col((r) => r.traceId),
      col((r) => r.validUntil),
    ],
  );
  const inserted = new Set(ins.rows.map((r) => r.id));
  const others = rows.filter((r) => !inserted.has(r.id));
  const existing = new Map<string, { id: string; contentHash: Buffer; receipt: unknown }>();
  if (others.length > 0) {
    // Sees this transaction's own rows too: that is how a key repeated within the batch is found.
    const { rows: found } = await client.query<{
      id: string;
      kind: string;
      source: string;
      external_id: string;
      version: number;
      content_hash: Buffer;
      receipt: unknown;
    }>(
      /* sql */ `SELECT r.id, r.kind, r.source, r.external_id, r.version, r.content_hash, r.receipt FROM records r
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS k(kind, source, external_id, version)
         USING (kind, source, external_id, version)`,
      [others.map((r) => r.kind), others.map((r) => r.source), others.map((r) => r.externalId), others.map((r) => r.version)],
    );
    for (const f of found)
      existing.set(KEY({ kind: f.kind, source: f.source, externalId: f.external_id, version: f.version }), {
        id: f.id,
        contentHash: f.content_hash,
        receipt: f.receipt,
      });
  }
  return rows.map((r): InsertOutcome => {
    if (inserted.has(r.id)) return { inserted: true };
    const found = existing.get(KEY(r));
    if (!found) throw new Error('record vanished between conflict and read'); // only a concurrent purge could do this
    return { inserted: false, existing: found };
  });
}

/** The incidents of the ZSM entries of one person (case events 'suspect-entered-zsm' that name one), oldest first. */
export async function caseEventIncidentsOf(
  db: Queryable | Pool,
  subjectKey: string,
): Promise<{ eventId: string; incident: { date: string; kind: string; subjectRole: string } }[]> {
  const { rows } = await db.query<{ event_id: string; incident: { date: string; kind: string; subjectRole: string } }>({
    name: 'case-event-incidents',
    text: /* sql */ `SELECT external_id AS event_id, body -> 'entry' -> 'incident' AS incident FROM records
     WHERE kind = 'case-event' AND subject_key = $1 AND body ->> 'eventType' = 'suspect-entered-zsm'
       AND body -> 'entry' ? 'incident'
     ORDER BY received_at`,
    values: [subjectKey],
  });
  return rows.map((r) => ({ eventId: r.event_id, incident: r.incident }));
}

/** An advice as the known-person lookup reads it: who issued it, its contact point and its validity. */
export interface AdviceSummary {
  id: string;
  source: string;
  status: string;
  body: {
    adviceId: string;
    version: number;
    validUntil: string;
    issuer: { oin: string; name: string };
    contactPoint: { name: string; email?: string; phone?: string };
  };
}

/** The advices about a person (under any of its keys), newest first per issuer. Records whose body was removed at
 * retention carry no issuer and drop out. */
export async function advicesOfSubject(db: Queryable, subjectKeys: readonly string[]): Promise<AdviceSummary[]> {
  const { rows } = await db.query<AdviceSummary>(
    /* sql */ `SELECT id, source, status, body FROM records
     WHERE kind = 'advice' AND subject_key = ANY($1::text[]) AND body ? 'issuer'
     ORDER BY source, received_at DESC`,
    [subjectKeys],
  );
  return rows;
}

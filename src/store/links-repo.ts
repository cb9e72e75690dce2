// record_links: how records relate (an advice answers a request, a ZSM event consults or decides on an advice).
import type { Pool, Queryable } from './pool.ts';

export type Relation = 'answers' | 'consults' | 'decides';

/** A link found before its record is stored, written with it. */
export interface PendingLink {
  /** The record the new one points at. */
  to: string;
  relation: Relation;
}

export async function insertLink(client: Queryable, from: string, to: string, relation: Relation): Promise<void> {
  await client.query(/* sql */ `INSERT INTO record_links (from_record, to_record, relation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [from, to, relation]);
}

export interface FoundRecord {
  id: string;
  source: string;
  subjectKey: string;
  body: Record<string, unknown>;
  receivedAt: Date;
}

type FoundRow = { id: string; source: string; subject_key: string; body: Record<string, unknown>; received_at: Date };
const found = (r: FoundRow | undefined): FoundRecord | undefined =>
  r && { id: r.id, source: r.source, subjectKey: r.subject_key, body: r.body, receivedAt: r.received_at };

/** An advice by its identity (issuer, id, version). */
export async function findAdvice(client: Queryable, issuerOin: string, adviceId: string, version: number): Promise<FoundRecord | undefined> {
  const { rows } = await client.query<FoundRow>(
    /* sql */ `SELECT id, source, subject_key, body, received_at FROM records
     WHERE kind = 'advice' AND source = $1 AND external_id = $2 AND version = $3 AND body IS NOT NULL`,
    [issuerOin, adviceId, version],
  );
  return found(rows[0]);
}

/** The newest record of a kind about one subject in one ZSM case (the case number alone is not proof of identity). */
export async function findByCase(
  client: Queryable,
  kind: string,
  caseReference: string,
  subjectKey: string,
  eventType?: string,
): Promise<FoundRecord | undefined> {
  const { rows } = await client.query<FoundRow>({
    name: 'records-by-case',
    text: /* sql */ `SELECT id, source, subject_key, body, received_at FROM records
     WHERE body ? 'zsmCaseReference' AND body ->> 'zsmCaseReference' = $1 AND subject_key = $2 AND kind = $3
       AND ($4::text IS NULL OR body ->> 'eventType' = $4)
     ORDER BY version DESC, received_at DESC LIMIT 1`,
    values: [caseReference, subjectKey, kind, eventType ?? null],
  });
  return found(rows[0]);
}

export interface LinkedRecord {
  id: string;
  relation: Relation;
  direction: 'from' | 'to';
  kind: string;
  eventType: string | null;
  occurredAt: string | null;
  receivedAt: Date;
  decisionKind: string | null;
}

/** Every record linked to this one, either way, oldest first. Reads ids, types and times only: no personal data. */
export async function linksOf(pool: Pool, recordId: string): Promise<LinkedRecord[]> {
  const { rows } = await pool.query<{
    id: string;
    relation: Relation;
    direction: 'from' | 'to';
    kind: string;
    event_type: string | null;
    occurred_at: string | null;
    received_at: Date;
    decision_kind: string | null;
  }>(
    /* sql */ `SELECT r.id, l.relation, l.direction, r.kind, r.body ->> 'eventType' AS event_type, r.body ->> 'occurredAt' AS occurred_at,
            r.received_at, r.body -> 'decision' ->> 'kind' AS decision_kind
     FROM (SELECT to_record AS other, relation, 'to' AS direction FROM record_links WHERE from_record = $1
           UNION ALL SELECT from_record, relation, 'from' FROM record_links WHERE to_record = $1) l
     JOIN records r ON r.id = l.other
     ORDER BY r.received_at`,
    [recordId],
  );
  return rows.map((r) => ({
    id: r.id,
    relation: r.relation,
    direction: r.direction,
    kind: r.kind,
    eventType: r.event_type,
    occurredAt: r.occurred_at,
    receivedAt: r.received_at,
    decisionKind: r.decision_kind,
  }));
}

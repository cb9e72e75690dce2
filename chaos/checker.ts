// The checker: every 202 the clients got against everything on every topic. Lost must be 0; a duplicate is
// allowed only as a re-send of the same message (same ce_id); per subject and topic, messages must appear in the
// order they were accepted (only a message's first appearance counts: a re-send of an earlier message after a
// later one is a duplicate, not an inversion).
import { adminQuery } from '../harness/pg-admin.ts';
import type { Ack } from './load.ts';
import type { ReadMessage } from './read-topics.ts';

export interface CheckResult {
  acked: number;
  /** Outbox messages the 202s promised. */
  expected: number;
  /** Acknowledged records with no stored messages at all (a 202 without a commit). */
  lostRecords: number;
  /** Promised messages not found on their topic. */
  lost: number;
  /** Extra appearances of a message with the same ce_id (allowed: at least once). */
  duplicates: number;
  /** The same record on the same topic under two different ce_ids (never allowed). */
  foreignDuplicates: number;
  inversions: number;
}

export interface OutboxRow {
  recordId: string;
  topic: string;
  eventId: string;
}

export async function promisedMessages(databaseUrl: string, recordIds: string[]): Promise<OutboxRow[]> {
  const { rows } = await adminQuery<{ record_id: string; topic: string; event_id: string }>(
    databaseUrl,
    /* sql */ `SELECT record_id, topic, event_id FROM outbox WHERE record_id = ANY($1::uuid[])`,
    [recordIds],
  );
  return rows.map((r) => ({ recordId: r.record_id, topic: r.topic, eventId: r.event_id }));
}

export function check(acks: Ack[], promised: OutboxRow[], read: ReadMessage[]): CheckResult {
  const ackOf = new Map(acks.map((a) => [a.recordId, a]));
  const seenCe = new Map<string, number>();
  for (const m of read) seenCe.set(m.ceId, (seenCe.get(m.ceId) ?? 0) + 1);

  const recordsWithRows = new Set(promised.map((p) => p.recordId));
  const lostRecords = acks.filter((a) => !recordsWithRows.has(a.recordId)).length;
  const lost = promised.filter((p) => !seenCe.has(p.eventId)).length;

  let duplicates = 0;
  const ackedCe = new Set<string>();
  const ceIdsOf = new Map<string, Set<string>>(); // "topic record" -> ce_ids
  for (const m of read) {
    if (!ackOf.has(m.recordId)) continue; // another scenario's, or never acknowledged
    ackedCe.add(m.ceId);
    const k = `${m.topic} ${m.recordId}`;
    const set = ceIdsOf.get(k) ?? new Set<string>();
    set.add(m.ceId);
    ceIdsOf.set(k, set);
  }
  for (const [ce, n] of seenCe) if (n > 1 && ackedCe.has(ce)) duplicates += n - 1;
  const foreignDuplicates = [...ceIdsOf.values()].filter((s) => s.size > 1).length;

  // Per topic, partition and subject, in offset order: a first appearance with a lower seq than one seen before.
  let inversions = 0;
  const sorted = [...read].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset);
  const highest = new Map<string, number>();
  const first = new Set<string>();
  for (const m of sorted) {
    const ack = ackOf.get(m.recordId);
    if (!ack || first.has(m.ceId)) continue;
    first.add(m.ceId);
    const k = `${m.topic}/${m.partition}/${ack.subject}`;
    const top = highest.get(k) ?? -1;
    if (ack.seq < top) inversions++;
    else highest.set(k, ack.seq);
  }
  return { acked: acks.length, expected: promised.length, lostRecords, lost, duplicates, foreignDuplicates, inversions };
}

// The processing_log table. Appends take the caller's transaction, so an entry commits with what it describes.
// A chain's head is read under a transaction-level advisory lock on that chain: two writers on one chain take
// turns, and the lock falls free at commit or rollback.
import { randomUUID } from 'node:crypto';
import { chainOf, commitment, entryHash, GENESIS, newSalt, type LogEntry, type StoredEntry } from '../processing-log/entry.ts';
import type { Pool, Queryable } from './pool.ts';

const CHAIN_LOCK_NAMESPACE = 7_361_004;
const COLUMNS = [
  'entry_id', 'chain', 'chain_seq', 'operation', 'status', 'trace_id', 'actor', 'subject_id', 'subject_salt', 'subject_commitment',
  'record_id', 'record_kind', 'recipient', 'fields', 'legal_basis', 'purpose', 'processing_activity', 'started_at', 'ended_at',
  'detail', 'prev_hash', 'hash',
] as const;

/** Appends entries to one chain (chosen by chainKey, e.g. the subject's key) inside the caller's transaction.
 * Call it as late as possible in the transaction: the chain stays locked until commit. */
export async function appendProcessingLog(client: Queryable, entries: readonly LogEntry[], chainKey: string): Promise<void> {
  if (entries.length === 0) return;
  const chain = chainOf(chainKey);
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [CHAIN_LOCK_NAMESPACE, chain]);
  // A statement after the lock sees every entry committed by the lock's previous holder (read committed).
  const { rows } = await client.query<{ chain_seq: string; hash: Buffer }>(
    /* sql */ `SELECT chain_seq, hash FROM processing_log WHERE chain = $1 ORDER BY chain_seq DESC LIMIT 1`,
    [chain],
  );
  await insertRows(client, chainRows(entries, chain, Number(rows[0]?.chain_seq ?? 0), rows[0]?.hash ?? GENESIS));
}

/** The entries of many records (a batch), each group on its own chain, in a few statements. Chains are locked in
 * ascending order, so two batches never wait for each other in a circle; entries keep their order per chain. */
export async function appendProcessingLogMany(client: Queryable, groups: readonly { chainKey: string; entries: readonly LogEntry[] }[]): Promise<void> {
  const byChain = new Map<number, LogEntry[]>();
  for (const g of groups) {
    const chain = chainOf(g.chainKey);
    byChain.set(chain, [...(byChain.get(chain) ?? []), ...g.entries]);
  }
  const chains = [...byChain.keys()].sort((a, b) => a - b);
  if (chains.length === 0) return;
  // A function scan yields the array's elements in order, so the locks are taken in ascending order.
  await client.query('SELECT pg_advisory_xact_lock($1, c) FROM unnest($2::int[]) AS c', [CHAIN_LOCK_NAMESPACE, chains]);
  // The head of each chain by its index, one chain at a time (a DISTINCT ON would read the whole index).
  const { rows } = await client.query<{ chain: number; chain_seq: string | null; hash: Buffer | null }>(
    /* sql */ `SELECT c.chain, h.chain_seq, h.hash FROM unnest($1::smallint[]) AS c(chain)
     LEFT JOIN LATERAL (SELECT chain_seq, hash FROM processing_log p WHERE p.chain = c.chain ORDER BY chain_seq DESC LIMIT 1) h ON true`,
    [chains],
  );
  const heads = new Map(rows.map((r) => [r.chain, r]));
  const all = chains.flatMap((chain) => chainRows(byChain.get(chain)!, chain, Number(heads.get(chain)?.chain_seq ?? 0), heads.get(chain)?.hash ?? GENESIS));
  await insertRows(client, all);
}

/** Column values of entries appended to a chain after the given head, each linked to the one before. */
function chainRows(entries: readonly LogEntry[], chain: number, headSeq: number, headHash: Buffer): unknown[][] {
  let seq = headSeq;
  let prevHash = headHash;
  return entries.map((e) => {
    const salt = e.subjectId ? newSalt() : null;
    const stored: Omit<StoredEntry, 'id' | 'hash'> = {
      ...e, entryId: randomUUID(), chain, chainSeq: ++seq, subjectSalt: salt,
      subjectCommitment: salt && e.subjectId ? commitment(salt, e.subjectId) : null, prevHash,
    };
    const hash = entryHash(stored);
    const values = [
      stored.entryId, chain, stored.chainSeq, e.operation, e.status, e.traceId, e.actor, e.subjectId, salt, stored.subjectCommitment,
      e.recordId, e.recordKind, e.recipient, e.fields, e.legalBasis, e.purpose, e.processingActivity, e.startedAt, e.endedAt,
      e.detail === null ? null : JSON.stringify(e.detail), prevHash, hash,
    ];
    prevHash = hash;
    return values;
  });
}

// PostgreSQL takes at most 65,535 parameters in one statement.
const ROWS_PER_INSERT = Math.floor(60_000 / COLUMNS.length);

async function insertRows(client: Queryable, rows: readonly unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + ROWS_PER_INSERT).map((values) => {
      const tuple = `(${values.map((_, i) => `$${params.length + i + 1}`).join(', ')})`;
      params.push(...values);
      return tuple;
    });
    await client.query(/* sql */ `INSERT INTO processing_log (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

interface Row {
  id: string; entry_id: string; chain: number; chain_seq: string; operation: LogEntry['operation']; status: LogEntry['status'];
  trace_id: string; actor: string; subject_id: string | null; subject_salt: Buffer | null; subject_commitment: Buffer | null;
  record_id: string | null; record_kind: string | null; recipient: string | null; fields: string[] | null; legal_basis: string | null;
  purpose: string | null; processing_activity: string; started_at: Date; ended_at: Date; detail: Record<string, unknown> | null;
  prev_hash: Buffer; hash: Buffer;
}

function toEntry(r: Row): StoredEntry {
  return {
    id: r.id, entryId: r.entry_id, chain: r.chain, chainSeq: Number(r.chain_seq), operation: r.operation, status: r.status,
    traceId: r.trace_id, actor: r.actor, subjectId: r.subject_id, subjectSalt: r.subject_salt, subjectCommitment: r.subject_commitment,
    recordId: r.record_id, recordKind: r.record_kind, recipient: r.recipient, fields: r.fields, legalBasis: r.legal_basis,
    purpose: r.purpose, processingActivity: r.processing_activity, startedAt: r.started_at, endedAt: r.ended_at, detail: r.detail,
    prevHash: r.prev_hash, hash: r.hash,
  };
}

export async function logChains(pool: Pool): Promise<number[]> {
  const { rows } = await pool.query<{ chain: number }>(/* sql */ `SELECT DISTINCT chain FROM processing_log ORDER BY chain`);
  return rows.map((r) => r.chain);
}

/** One page of a chain in chain order, after a position. */
export async function readChain(pool: Pool, chain: number, afterSeq: number, limit: number): Promise<StoredEntry[]> {
  const { rows } = await pool.query<Row>(
    /* sql */ `SELECT * FROM processing_log WHERE chain = $1 AND chain_seq > $2 ORDER BY chain_seq LIMIT $3`,
    [chain, afterSeq, limit],
  );
  return rows.map(toEntry);
}

/** Every entry about a person, by the person's pseudonyms under every key held. */
export async function entriesOfSubject(client: Queryable, subjectIds: readonly string[]): Promise<StoredEntry[]> {
  const { rows } = await client.query<Row>(
    /* sql */ `SELECT * FROM processing_log WHERE subject_id = ANY($1::text[]) ORDER BY started_at, id`,
    [subjectIds],
  );
  return rows.map(toEntry);
}

/** Erases the link to the person from the entries about these records (the one change the table allows). */
export async function unlinkRecordEntries(client: Queryable, recordIds: readonly string[]): Promise<number> {
  const res = await client.query(
    /* sql */ `UPDATE processing_log SET subject_id = NULL WHERE record_id = ANY($1::uuid[]) AND subject_id IS NOT NULL`,
    [recordIds],
  );
  return res.rowCount ?? 0;
}

/** Erases the link to the person from entries that belong to no record (lookups) and started before the cutoff. */
export async function unlinkLookupsBefore(client: Queryable, cutoff: Date): Promise<number> {
  const res = await client.query(
    /* sql */ `UPDATE processing_log SET subject_id = NULL WHERE record_id IS NULL AND subject_id IS NOT NULL AND started_at < $1`,
    [cutoff],
  );
  return res.rowCount ?? 0;
}

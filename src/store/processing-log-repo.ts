// The processing_log table. Appends take the caller's transaction, so an entry commits with what it describes.
// A chain's head is read under a transaction-level advisory lock on that chain: two writers on one chain take
// turns, and the lock falls free at commit or rollback.
import { randomUUID } from 'node:crypto';
import {
  chainHash,
  chainOf,
  commitment,
  entryBodyParts,
  GENESIS,
  newSalts,
  type EntryBodyParts,
  type LogEntry,
  type StoredEntry,
} from '../processing-log/entry.ts';
import { LOCK_KEYS } from './locks.ts';
import type { Pool, Queryable } from './pool.ts';

const COLUMNS = [
  'entry_id',
  'chain',
  'chain_seq',
  'operation',
  'status',
  'trace_id',
  'actor',
  'subject_id',
  'subject_salt',
  'subject_commitment',
  'record_id',
  'record_kind',
  'recipient',
  'fields',
  'legal_basis',
  'purpose',
  'processing_activity',
  'started_at',
  'ended_at',
  'detail',
  'fsc_transaction_id',
  'prev_hash',
  'hash',
] as const;

/** Appends entries to one chain (chosen by chainKey, e.g. the subject's key) inside the caller's transaction.
 * Call it as late as possible in the transaction: the chain stays locked until commit. */
export async function appendProcessingLog(client: Queryable, entries: readonly LogEntry[], chainKey: string): Promise<void> {
  if (entries.length === 0) return;
  await insertRows(client, await chainEntries(client, entries, chainKey));
}

/** Locks the chain of `chainKey` for the caller's transaction and links the entries to its head: the rows to
 * insert. (A single accepted record does this inside its one statement instead: chainedLogSelect.) */
async function chainEntries(client: Queryable, entries: readonly LogEntry[], chainKey: string): Promise<unknown[][]> {
  const chain = chainOf(chainKey);
  const head = (await lockHeads(client, [chain])).get(chain);
  return chainRows(entries, chain, head?.seq ?? 0, head?.hash ?? GENESIS);
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
  const heads = await lockHeads(client, chains);
  const all = chains.flatMap((chain) => chainRows(byChain.get(chain)!, chain, heads.get(chain)?.seq ?? 0, heads.get(chain)?.hash ?? GENESIS));
  await insertRows(client, all);
}

/** Appends entries to one chain in ONE statement, outside any transaction (decision 0096): the chain's lock, its
 * head and the insert, hashed by PostgreSQL (migration 095). The lock falls free when the statement commits. For
 * writers whose only write is these entries (a feed page's disclosure): one round trip instead of four. */
export async function appendProcessingLogStatement(client: Queryable, entries: readonly LogEntry[], chainKey: string): Promise<void> {
  if (entries.length === 0) return;
  const chain = chainOf(chainKey);
  const params: unknown[] = [LOCK_KEYS.processingLogChain, chain];
  const select = chainedLogSelect(unchainedEntries(entries, chain), params, 'head');
  await client.query(
    /* sql */ `WITH head AS MATERIALIZED (SELECT chain_seq, hash FROM processing_log_lock_head($1::integer, $2::smallint))
     INSERT INTO processing_log ${select}`,
    params,
  );
}

/** Locks the chains (in the order given) and reads each one's head after its lock: one round trip, through
 * migration 092's function. A chain without entries has no head. */
async function lockHeads(client: Queryable, chains: readonly number[]): Promise<Map<number, { seq: number; hash: Buffer }>> {
  // A function scan yields the array's elements in order, so the locks are taken in that order.
  const { rows } = await client.query<{ chain: number; chain_seq: string | null; hash: Buffer | null }>({
    name: 'processing-log-lock-heads',
    text: /* sql */ `SELECT c.chain, h.chain_seq, h.hash FROM unnest($2::smallint[]) AS c(chain), LATERAL processing_log_lock_head($1, c.chain) h`,
    values: [LOCK_KEYS.processingLogChain, chains],
  });
  return new Map(rows.filter((r) => r.chain_seq !== null).map((r) => [r.chain, { seq: Number(r.chain_seq), hash: r.hash! }]));
}

/** An entry made ready for its chain: every column but its place and hashes (COLUMNS without chain_seq, prev_hash
 * and hash, in that order), and its canonical JSON in the two parts around its place. */
export interface UnchainedEntry {
  values: unknown[];
  parts: EntryBodyParts;
}

export function unchainedEntries(entries: readonly LogEntry[], chain: number): UnchainedEntry[] {
  const salts = newSalts(entries.length);
  return entries.map((e, i) => {
    const salt = e.subjectId ? salts[i]! : null;
    const entryId = e.entryId ?? randomUUID();
    const subjectCommitment = salt && e.subjectId ? commitment(salt, e.subjectId) : null;
    return {
      values: [
        entryId,
        chain,
        e.operation,
        e.status,
        e.traceId,
        e.actor,
        e.subjectId,
        salt,
        subjectCommitment,
        e.recordId,
        e.recordKind,
        e.recipient,
        e.fields,
        e.legalBasis,
        e.purpose,
        e.processingActivity,
        e.startedAt,
        e.endedAt,
        e.detail === null ? null : JSON.stringify(e.detail),
        e.transactionId ?? null,
      ],
      parts: entryBodyParts({ ...e, entryId, chain, subjectCommitment }),
    };
  });
}

/** Column values of entries appended to a chain after the given head, each linked to the one before. */
function chainRows(entries: readonly LogEntry[], chain: number, headSeq: number, headHash: Buffer): unknown[][] {
  let seq = headSeq;
  let prevHash = headHash;
  return unchainedEntries(entries, chain).map(({ values, parts }) => {
    const hash = chainHash(prevHash, ++seq, parts);
    const row = [values[0], values[1], seq, ...values.slice(2), prevHash, hash];
    prevHash = hash;
    return row;
  });
}

// PostgreSQL takes at most 65,535 parameters in one statement.
const ROWS_PER_INSERT = Math.floor(60_000 / COLUMNS.length);

async function insertRows(client: Queryable, rows: readonly unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const params: unknown[] = [];
    await client.query(/* sql */ `INSERT INTO processing_log ${processingLogValues(rows.slice(start, start + ROWS_PER_INSERT), params)}`, params);
  }
}

const TYPES = [
  'uuid',
  'smallint',
  'bigint',
  'text',
  'text',
  'text',
  'text',
  'text',
  'bytea',
  'bytea',
  'uuid',
  'text',
  'text',
  'text[]',
  'text',
  'text',
  'text',
  'timestamptz',
  'timestamptz',
  'jsonb',
  'uuid',
  'bytea',
  'bytea',
] as const;

/** `(columns) SELECT * FROM (VALUES ...)` of rows from chainEntries, their parameters appended to `params`, each
 * cast to its column's type. */
function processingLogValues(rows: readonly unknown[][], params: unknown[]): string {
  const tuples = rows.map((values) => `(${values.map((v, i) => (params.push(v), `$${params.length}::${TYPES[i]}`)).join(', ')})`);
  return `(${COLUMNS.join(', ')}) SELECT * FROM (VALUES ${tuples.join(', ')}) AS v`;
}

interface Row {
  id: string;
  entry_id: string;
  chain: number;
  chain_seq: string;
  operation: LogEntry['operation'];
  status: LogEntry['status'];
  trace_id: string;
  actor: string;
  subject_id: string | null;
  subject_salt: Buffer | null;
  subject_commitment: Buffer | null;
  record_id: string | null;
  record_kind: string | null;
  recipient: string | null;
  fields: string[] | null;
  legal_basis: string | null;
  purpose: string | null;
  processing_activity: string;
  started_at: Date;
  ended_at: Date;
  detail: Record<string, unknown> | null;
  fsc_transaction_id: string | null;
  prev_hash: Buffer;
  hash: Buffer;
}

function toEntry(r: Row): StoredEntry {
  return {
    id: r.id,
    entryId: r.entry_id,
    chain: r.chain,
    chainSeq: Number(r.chain_seq),
    operation: r.operation,
    status: r.status,
    traceId: r.trace_id,
    actor: r.actor,
    subjectId: r.subject_id,
    subjectSalt: r.subject_salt,
    subjectCommitment: r.subject_commitment,
    recordId: r.record_id,
    recordKind: r.record_kind,
    recipient: r.recipient,
    fields: r.fields,
    legalBasis: r.legal_basis,
    purpose: r.purpose,
    processingActivity: r.processing_activity,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    detail: r.detail,
    transactionId: r.fsc_transaction_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export async function logChains(pool: Pool): Promise<number[]> {
  const { rows } = await pool.query<{ chain: number }>(/* sql */ `SELECT DISTINCT chain FROM processing_log ORDER BY chain`);
  return rows.map((r) => r.chain);
}

/** One page of a chain in chain order, after a position. */
export async function readChain(pool: Pool, chain: number, afterSeq: number, limit: number): Promise<StoredEntry[]> {
  const { rows } = await pool.query<Row>(/* sql */ `SELECT * FROM processing_log WHERE chain = $1 AND chain_seq > $2 ORDER BY chain_seq LIMIT $3`, [
    chain,
    afterSeq,
    limit,
  ]);
  return rows.map(toEntry);
}

/** Every entry about a person, by the person's pseudonyms under every key held. */
export async function entriesOfSubject(client: Queryable, subjectIds: readonly string[]): Promise<StoredEntry[]> {
  const { rows } = await client.query<Row>(/* sql */ `SELECT * FROM processing_log WHERE subject_id = ANY($1::text[]) ORDER BY started_at, id`, [subjectIds]);
  return rows.map(toEntry);
}

/** Erases the link to the person from the entries about these records (the one change the table allows). */
export async function unlinkRecordEntries(client: Queryable, recordIds: readonly string[]): Promise<number> {
  const res = await client.query(/* sql */ `UPDATE processing_log SET subject_id = NULL WHERE record_id = ANY($1::uuid[]) AND subject_id IS NOT NULL`, [
    recordIds,
  ]);
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

const PLACED = new Set(['chain_seq', 'prev_hash', 'hash']);
const UNCHAINED = COLUMNS.map((c, i) => ({ column: c, type: TYPES[i]! })).filter((c) => !PLACED.has(c.column));

/** `(columns) SELECT …` of entries whose places and hashes PostgreSQL fills in (migration 095) after the head that
 * the CTE `headCte` read with processing_log_lock_head, in the order given; their parameters appended to `params`.
 * `alsoFrom` joins more rows in: with the record's `INSERT … RETURNING`, nothing is logged when nothing was stored. */
export function chainedLogSelect(entries: readonly UnchainedEntry[], params: unknown[], headCte: string, alsoFrom: readonly string[] = []): string {
  const p = (v: unknown, type: string) => (params.push(v), `$${params.length}::${type}`);
  const before = entries.map((e) => p(e.parts.before, 'text'));
  const after = entries.map((e) => p(e.parts.after, 'text'));
  const tuples = entries.map((e, n) => `(${[`${n + 1}`, ...e.values.map((v, i) => p(v, UNCHAINED[i]!.type))].join(', ')})`);
  const pick = COLUMNS.map((c) => (PLACED.has(c) ? `h.${c}` : `v.${c}`));
  return `(${COLUMNS.join(', ')}) SELECT ${pick.join(', ')}
     FROM ${[...alsoFrom, headCte].join(', ')},
       processing_log_chain_hashes(${headCte}.chain_seq, ${headCte}.hash, ARRAY[${before.join(', ')}]::text[], ARRAY[${after.join(', ')}]::text[]) AS h
       JOIN (VALUES ${tuples.join(', ')}) AS v(ord, ${UNCHAINED.map((c) => c.column).join(', ')}) ON v.ord = h.ord`;
}

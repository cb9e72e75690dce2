// One processing-log entry and how it is chained. The hash covers every column that says what happened, and a
// salted commitment to the subject id instead of the id itself: erasing the id at the end of retention leaves
// the chain intact, while the commitment still proves that an id which is present was not changed.
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '../records/canonical.ts';

/** 'configured': a change to how the bridge delivers (a webhook subscription, a dead letter re-driven or discarded). */
export type Operation = 'received' | 'refused' | 'disclosed' | 'looked-up' | 'purged' | 'configured';
export type Status = 'ok' | 'refused';

/** What a caller states about one processing step. */
export interface LogEntry {
  /** Chosen by the writer when another entry must name this one (a feed read's disclosures); otherwise new. */
  entryId?: string;
  operation: Operation;
  status: Status;
  traceId: string;
  /** The FSC transaction id (UUIDv7) of the request or message that caused the step; absent or null for the
   * bridge's own jobs and for entries written before migration 097. */
  transactionId?: string | null;
  actor: string;
  /** Keyed pseudonym of the person (DOMAIN_PROCESSING_LOG); null when there is none or it must not be kept. */
  subjectId: string | null;
  recordId: string | null;
  recordKind: string | null;
  recipient: string | null;
  fields: string[] | null;
  legalBasis: string | null;
  purpose: string | null;
  processingActivity: string;
  startedAt: Date;
  endedAt: Date;
  /** Codes and counts only; never personal data. */
  detail: Record<string, unknown> | null;
}

/** A look-up about a person (the known-person lookup, a subject access report): no record and no recipient, under
 * the processing activity the policy names for it; it ends when it is built, just before it is written. */
export function lookedUpEntry(a: {
  traceId: string;
  transactionId?: string | undefined;
  actor: string;
  subjectId: string;
  activity: { processingActivity: string; legalBasis: string; purpose: string };
  startedAt: Date;
  detail: Record<string, unknown>;
}): LogEntry {
  return {
    operation: 'looked-up',
    status: 'ok',
    traceId: a.traceId,
    transactionId: a.transactionId ?? null,
    actor: a.actor,
    subjectId: a.subjectId,
    recordId: null,
    recordKind: null,
    recipient: null,
    fields: null,
    legalBasis: a.activity.legalBasis,
    purpose: a.activity.purpose,
    processingActivity: a.activity.processingActivity,
    startedAt: a.startedAt,
    endedAt: new Date(),
    detail: a.detail,
  };
}

/** An entry as stored: with its place in a chain and its hashes. */
export interface StoredEntry extends LogEntry {
  id: string;
  entryId: string;
  chain: number;
  chainSeq: number;
  subjectSalt: Buffer | null;
  subjectCommitment: Buffer | null;
  prevHash: Buffer;
  hash: Buffer;
}

/** Several chains, so that concurrent writers seldom wait on one another; the number is part of the data. */
export const LOG_CHAINS = 16;
export const GENESIS = Buffer.alloc(32);

/** Keys of what a channel hands out (feed pages, replays: `feed:<recipient>`). Their entries are chained apart,
 * in chains LOG_CHAINS and up: a feed's disclosure then never holds the chain lock an ingest of some person waits
 * for (decision 0113). A subject's key is a pseudonym and never starts so. */
export const CHANNEL_KEY_PREFIX = 'feed:';

export function chainOf(key: string): number {
  const chain = createHash('sha256').update(key).digest().readUInt16BE(0) % LOG_CHAINS;
  return key.startsWith(CHANNEL_KEY_PREFIX) ? LOG_CHAINS + chain : chain;
}

export function commitment(salt: Buffer, subjectId: string): Buffer {
  return createHash('sha256').update(salt).update(subjectId).digest();
}

/** `count` salts from one draw of random bytes: one system call for a record's entries instead of one each. */
export function newSalts(count: number): Buffer[] {
  const bytes = randomBytes(16 * count);
  return Array.from({ length: count }, (_, i) => bytes.subarray(16 * i, 16 * (i + 1)));
}

type Hashed = Omit<StoredEntry, 'id' | 'hash' | 'subjectId' | 'subjectSalt'>;

/** The canonical JSON of an entry is `before + chainSeq + after`: everything but its place in the chain is known
 * before the chain's head is read, so the single-record write can let PostgreSQL finish the hashes under the
 * chain's lock (migration 095) from these two parts, and every other writer and the verifier use them too. */
export interface EntryBodyParts {
  before: string;
  after: string;
}

const SEQ_MARK = '"chainSeq":0,';

export function entryBodyParts(e: Omit<Hashed, 'chainSeq' | 'prevHash'>): EntryBodyParts {
  const body = canonicalJson({
    v: 1,
    entryId: e.entryId,
    chain: e.chain,
    chainSeq: 0,
    operation: e.operation,
    status: e.status,
    traceId: e.traceId,
    actor: e.actor,
    subject: e.subjectCommitment ? e.subjectCommitment.toString('hex') : null,
    recordId: e.recordId,
    recordKind: e.recordKind,
    recipient: e.recipient,
    fields: e.fields,
    legalBasis: e.legalBasis,
    purpose: e.purpose,
    processingActivity: e.processingActivity,
    startedAt: e.startedAt.toISOString(),
    endedAt: e.endedAt.toISOString(),
    detail: e.detail,
    // Only when there is one: an entry without it has the canonical form entries had before migration 097, so
    // their hashes still verify, and an id added or changed later breaks the chain.
    ...(e.transactionId ? { fscTransactionId: e.transactionId } : {}),
  });
  // Keys are sorted, so the top-level "chainSeq" comes right after "chain" and before "detail" (and any nested key
  // of the same name); inside a string value its quotes would be escaped, so the first match is the member.
  const at = body.indexOf(SEQ_MARK) + SEQ_MARK.length - 2;
  return { before: body.slice(0, at), after: body.slice(at + 1) };
}

/** sha-256(previous hash || canonical JSON of the entry). */
export function entryHash(e: Hashed): Buffer {
  return chainHash(e.prevHash, e.chainSeq, entryBodyParts(e));
}

/** The hash of an entry at a place in its chain, from its body's parts (migration 095 computes the same). */
export function chainHash(prevHash: Buffer, chainSeq: number, parts: EntryBodyParts): Buffer {
  return createHash('sha256').update(prevHash).update(parts.before).update(String(chainSeq)).update(parts.after).digest();
}

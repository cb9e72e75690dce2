import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/records/canonical.ts';
import { chainHash, entryBodyParts, entryHash, GENESIS } from '../../../src/processing-log/entry.ts';

// An entry whose strings and detail try to fool the split around chainSeq: an actor that spells the member, and a
// nested key of the same name.
const entry = {
  entryId: '0b6e7a52-6f0c-4d3e-9a43-2a8d0c1e5f10',
  chain: 11,
  operation: 'disclosed' as const,
  status: 'ok' as const,
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  actor: 'client "chainSeq":0,"detail":null',
  subjectCommitment: Buffer.alloc(32, 7),
  recordId: '5d1f6c0e-3f9b-4c47-8a1e-6b0a2f3c9d21',
  recordKind: 'advice',
  recipient: 'om',
  fields: ['/adviceId', '/subject/bsn'],
  legalBasis: 'wjsg-art-8a',
  purpose: 'zsm-afdoening',
  processingActivity: 'zsm-advice-exchange',
  startedAt: new Date('2026-11-29T04:00:00.000Z'),
  endedAt: new Date('2026-11-29T04:00:00.004Z'),
  detail: { chainSeq: 0, note: 'é ü' },
};

// The hash as the first version of entry.ts wrote it: sha-256(previous hash || canonical JSON of the whole entry).
function hashAsFirstWritten(chainSeq: number, prevHash: Buffer): Buffer {
  const e = entry;
  const body = canonicalJson({
    v: 1,
    entryId: e.entryId,
    chain: e.chain,
    chainSeq,
    operation: e.operation,
    status: e.status,
    traceId: e.traceId,
    actor: e.actor,
    subject: e.subjectCommitment.toString('hex'),
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
  });
  return createHash('sha256').update(prevHash).update(body).digest();
}

describe('processing-log entry hash', () => {
  it('splits the canonical JSON around the chain position, and only there', () => {
    const { before, after } = entryBodyParts(entry);
    expect(before.endsWith('"chain":11,"chainSeq":')).toBe(true);
    expect(after.startsWith(',"detail":{"chainSeq":0,')).toBe(true);
    expect(JSON.parse(`${before}42${after}`)).toMatchObject({ chainSeq: 42, actor: entry.actor, detail: entry.detail });
  });

  it('is the hash chains were written with, at any place in a chain', () => {
    const prev = createHash('sha256').update('previous').digest();
    for (const seq of [1, 9, 10, 123_456_789]) {
      expect(entryHash({ ...entry, chainSeq: seq, prevHash: prev }).equals(hashAsFirstWritten(seq, prev))).toBe(true);
      expect(chainHash(GENESIS, seq, entryBodyParts(entry)).equals(hashAsFirstWritten(seq, GENESIS))).toBe(true);
    }
    expect(entryHash({ ...entry, chainSeq: 2, prevHash: prev }).equals(hashAsFirstWritten(3, prev))).toBe(false);
  });

  it('covers the FSC transaction id when an entry has one, and hashes an entry without one as before migration 097', () => {
    const prev = createHash('sha256').update('previous').digest();
    for (const none of [{}, { transactionId: null }, { transactionId: undefined }]) {
      expect(entryHash({ ...entry, ...none, chainSeq: 5, prevHash: prev }).equals(hashAsFirstWritten(5, prev))).toBe(true);
    }
    const id = '0190b6e4-5f1a-7c3b-8d2e-1f2a3b4c5d6e';
    const withId = entryHash({ ...entry, transactionId: id, chainSeq: 5, prevHash: prev });
    expect(withId.equals(hashAsFirstWritten(5, prev))).toBe(false);
    expect(withId.equals(entryHash({ ...entry, transactionId: id.replace(/e$/, 'f'), chainSeq: 5, prevHash: prev }))).toBe(false);
    const { before, after } = entryBodyParts({ ...entry, transactionId: id });
    expect(JSON.parse(`${before}5${after}`)).toMatchObject({ chainSeq: 5, fscTransactionId: id });
  });
});

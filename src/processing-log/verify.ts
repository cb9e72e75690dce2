// Walks every chain of the processing log from its start and reports the first broken link of each: an entry
// whose content no longer matches its hash, that does not link to the entry before it, or a gap in the
// positions (an entry removed). Removing entries from the end of a chain leaves no gap: the heads this returns
// are logged by the daily job, so a later head older than a logged one shows it.
import type { Pool } from '../store/pool.ts';
import { logChains, readChain } from '../store/processing-log-repo.ts';
import { commitment, entryHash, GENESIS, type StoredEntry } from './entry.ts';

export interface BrokenLink {
  chain: number;
  /** The entry where the chain breaks: its row id, operation id and position. */
  id: string;
  entryId: string;
  chainSeq: number;
  reason: string;
}

export interface Verification {
  intact: boolean;
  entries: number;
  chains: number;
  heads: { chain: number; chainSeq: number; hash: string }[];
  broken: BrokenLink[];
}

const PAGE = 2_000;

function check(e: StoredEntry, expectedSeq: number, prevHash: Buffer): string | undefined {
  if (e.chainSeq !== expectedSeq) return `position ${e.chainSeq} where ${expectedSeq} was expected: entries are missing before it`;
  if (!e.prevHash.equals(prevHash)) return 'does not link to the entry before it (prev_hash differs)';
  if (!entryHash(e).equals(e.hash)) return 'its content does not match its hash: the entry was changed';
  if (e.subjectId !== null && (!e.subjectSalt || !e.subjectCommitment || !commitment(e.subjectSalt, e.subjectId).equals(e.subjectCommitment))) {
    return 'its subject id does not match the commitment the chain covers: the subject was changed';
  }
  return undefined;
}

export async function verifyProcessingLog(pool: Pool): Promise<Verification> {
  const result: Verification = { intact: true, entries: 0, chains: 0, heads: [], broken: [] };
  for (const chain of await logChains(pool)) {
    result.chains++;
    let expected = 1;
    let prev: Buffer = GENESIS;
    for (;;) {
      const page = await readChain(pool, chain, expected - 1, PAGE);
      if (page.length === 0) break;
      let brokenHere: BrokenLink | undefined;
      for (const e of page) {
        result.entries++;
        const reason = check(e, expected, prev);
        if (reason) {
          brokenHere = { chain, id: e.id, entryId: e.entryId, chainSeq: e.chainSeq, reason };
          break;
        }
        expected++;
        prev = e.hash;
      }
      if (brokenHere) {
        result.broken.push(brokenHere);
        break;
      }
    }
    result.heads.push({ chain, chainSeq: expected - 1, hash: prev.toString('hex') });
  }
  result.intact = result.broken.length === 0;
  return result;
}

export function describeVerification(v: Verification): string[] {
  if (v.intact) return [`processing log intact: ${v.entries} entries in ${v.chains} chains`];
  return v.broken.map((b) => `processing log BROKEN in chain ${b.chain} at entry ${b.id} (operation id ${b.entryId}, position ${b.chainSeq}): ${b.reason}`);
}

// The checker is the oracle of every chaos scenario: it must see a loss, a foreign duplicate and an inversion.
import { describe, expect, it } from 'vitest';
import { check, type OutboxRow } from '../../../chaos/checker.ts';
import type { Ack } from '../../../chaos/load.ts';
import type { ReadMessage } from '../../../chaos/read-topics.ts';

const acks: Ack[] = [0, 1, 2].map((seq) => ({ recordId: `r${seq}`, adviceId: `a${seq}`, subject: 7, seq }));
const promised: OutboxRow[] = acks.map((a) => ({ recordId: a.recordId, topic: 't', eventId: `e${a.seq}` }));
let offset = 0;
const msg = (seq: number, ceId = `e${seq}`): ReadMessage => ({ topic: 't', partition: 0, offset: offset++, ceId, recordId: `r${seq}` });

describe('the checker', () => {
  it('passes everything delivered once, in order', () => {
    expect(check(acks, promised, [msg(0), msg(1), msg(2)])).toMatchObject({
      acked: 3,
      expected: 3,
      lost: 0,
      lostRecords: 0,
      duplicates: 0,
      foreignDuplicates: 0,
      inversions: 0,
    });
  });

  it('counts a promised message that never arrived, and a 202 with nothing stored', () => {
    expect(check(acks, promised, [msg(0), msg(2)]).lost).toBe(1);
    expect(check(acks, promised.slice(1), [msg(1), msg(2)]).lostRecords).toBe(1);
  });

  it('allows a re-send with the same ce_id, also after later messages, and does not call it an inversion', () => {
    const r = check(acks, promised, [msg(0), msg(1), msg(0), msg(1), msg(2)]);
    expect(r).toMatchObject({ duplicates: 2, foreignDuplicates: 0, inversions: 0, lost: 0 });
  });

  it('counts the same record on a topic under another ce_id as a foreign duplicate', () => {
    expect(check(acks, promised, [msg(0), msg(1), msg(2), msg(2, 'other')]).foreignDuplicates).toBe(1);
  });

  it('counts a first appearance after a later message of the same subject as an inversion', () => {
    expect(check(acks, promised, [msg(1), msg(0), msg(2)]).inversions).toBe(1);
  });
});

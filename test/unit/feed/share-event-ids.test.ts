// A read's ce_ids are listed once per kind: the first retrieval's entry lists them under an id chosen for it, a
// later retrieval's entry names that id and keeps the count.
import { describe, expect, it } from 'vitest';
import { shareEventIds } from '../../../src/feed/disclosure.ts';
import type { LogEntry } from '../../../src/processing-log/entry.ts';

const entry = (kind: string, traceId: string, eventIds: string[]): LogEntry => ({
  operation: 'disclosed',
  status: 'ok',
  traceId,
  actor: 'client:r',
  subjectId: null,
  recordId: null,
  recordKind: kind,
  recipient: 'om-zsm',
  fields: null,
  legalBasis: null,
  purpose: null,
  processingActivity: 'pa',
  startedAt: new Date(0),
  endedAt: new Date(1),
  detail: { channel: 'feed', events: eventIds.length, eventIds },
});

describe('shareEventIds', () => {
  it('lets the first retrieval of a read list the ids, per kind, and the next name it', () => {
    const listed = new Map<string, string>();
    const first = shareEventIds([entry('advice', 't1', ['a1', 'a2']), entry('case-event', 't1', ['c1'])], listed);
    expect(first.map((e) => e.detail)).toEqual([
      { channel: 'feed', events: 2, eventIds: ['a1', 'a2'] },
      { channel: 'feed', events: 1, eventIds: ['c1'] },
    ]);
    const [adviceId, caseId] = first.map((e) => e.entryId);
    expect(adviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(caseId).not.toBe(adviceId);
    expect([...listed]).toEqual([
      ['advice', adviceId],
      ['case-event', caseId],
    ]);

    const second = shareEventIds([entry('advice', 't2', ['a1', 'a2']), entry('case-event', 't2', ['c1'])], listed);
    expect(second.map((e) => e.detail)).toEqual([
      { channel: 'feed', events: 2, eventIdsIn: adviceId },
      { channel: 'feed', events: 1, eventIdsIn: caseId },
    ]);
    expect(second.map((e) => e.entryId)).toEqual([undefined, undefined]);
    expect(second.map((e) => e.traceId)).toEqual(['t2', 't2']);
  });

  it('lists a kind the read had not listed yet', () => {
    const listed = new Map([['advice', 'e-1']]);
    const [e] = shareEventIds([entry('case-event', 't3', ['c9'])], listed);
    expect(e!.detail).toEqual({ channel: 'feed', events: 1, eventIds: ['c9'] });
    expect(listed.get('case-event')).toBe(e!.entryId);
  });
});

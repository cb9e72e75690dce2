// What a dead letter may say about the message it stands for: reason codes and pointers without detail text or
// digit runs, and the subject's BSN only to make the internal pseudonym from.
import { describe, expect, it } from 'vitest';
import { fieldError } from '../../../src/errors.ts';
import { subjectBsnOf, thinReasons } from '../../../src/inbound/take-case-event.ts';
import { syntheticBsn } from '../../support/fixtures.ts';

describe('the dead letter of a quarantined message', () => {
  it('keeps codes, pointers and rules, drops the detail text and masks digit runs in pointers', () => {
    const reasons = [
      fieldError('PURPOSE_NOT_ACCEPTED', '/purpose', 'purpose whatever-was-sent is not covered', 'kinds.case-event.accepts'),
      fieldError('FIELD_UNKNOWN', '/999990018/name'),
    ];
    expect(thinReasons(reasons)).toEqual([
      { code: 'PURPOSE_NOT_ACCEPTED', pointer: '/purpose', rule: 'kinds.case-event.accepts' },
      { code: 'FIELD_UNKNOWN', pointer: '/[digits]/name' },
    ]);
    expect(thinReasons(Array.from({ length: 80 }, () => fieldError('FIELD_UNKNOWN', '/x')))).toHaveLength(50);
  });

  it('reads the subject BSN only from JSON with a subject.bsn that passes the eleven-test, in nine digits', () => {
    const bsn = syntheticBsn(0);
    expect(subjectBsnOf(`{"subject":{"bsn":"${bsn}"}}`)).toBe(bsn);
    expect(subjectBsnOf(Buffer.from(`{"eventId":"x","subject":{"bsn":"${bsn}"}}`))).toBe(bsn);
    expect(subjectBsnOf('{"subject":{"bsn":"999990018"}}')).toBeNull(); // fails the eleven-test
    // Eight digits: the implied leading zero, so the key is the one a nine-digit record of the person holds.
    expect(subjectBsnOf('{"subject":{"bsn":"10000008"}}')).toBe('010000008');
    expect(subjectBsnOf(`{"subject":{"bsn":${bsn}}}`)).toBeNull();
    expect(subjectBsnOf(`{"bsn":"${bsn}"}`)).toBeNull();
    expect(subjectBsnOf('{"subject": {"bsn": "9999900')).toBeNull();
    expect(subjectBsnOf('null')).toBeNull();
  });
});

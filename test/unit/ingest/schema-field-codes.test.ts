// The schema keywords whose field codes no other test reached: each bad value is refused with its own code at its
// own pointer, through the same verdict REST, the inbound topic and the offline validator use.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/errors.ts';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import { toFieldErrors } from '../../../src/ingest/schemas.ts';
import { validateRecord } from '../../../src/ingest/verdict.ts';
import { validAdvice } from '../../support/fixtures.ts';

type Json = Record<string, unknown>;

/** `400 CODE pointer, ...` for a refusal, or `accepted`. */
function verdictOn(change: (a: Json & { subject: Json }) => void): string {
  const a = validAdvice() as Json & { subject: Json };
  change(a);
  try {
    validateRecord(KINDS.advice, a, new Date());
    return 'accepted';
  } catch (err) {
    if (!(err instanceof BridgeError)) throw err;
    return `${err.status} ${err.code} ${(err.errors ?? [])
      .map((e) => `${e.code} ${e.pointer}`)
      .sort()
      .join(', ')}`;
  }
}

describe('schema field codes', () => {
  it('FIELD_TOO_SHORT: a string under its minLength', () => {
    expect(
      verdictOn((a) => {
        a['goal'] = '';
      }),
    ).toBe('400 BRIDGE_VALIDATION_FAILED FIELD_TOO_SHORT /goal');
  });

  it('FIELD_PATTERN: a string that does not match its pattern', () => {
    expect(
      verdictOn((a) => {
        a.subject['municipalityCode'] = 'XX0599';
      }),
    ).toBe('400 BRIDGE_VALIDATION_FAILED FIELD_PATTERN /subject/municipalityCode');
  });

  it('FIELD_OUT_OF_RANGE: a number under its minimum or over its maximum', () => {
    expect(
      verdictOn((a) => {
        a['version'] = 0;
      }),
    ).toBe('400 BRIDGE_VALIDATION_FAILED FIELD_OUT_OF_RANGE /version');
    expect(
      verdictOn((a) => {
        a['version'] = 10_000;
      }),
    ).toBe('400 BRIDGE_VALIDATION_FAILED FIELD_OUT_OF_RANGE /version');
    expect(
      verdictOn((a) => {
        a['version'] = 9_999;
      }),
    ).toBe('accepted');
  });

  // No contract schema uses uniqueItems today, so no record can be refused with this code yet: this holds the
  // keyword's mapping to it, for the day one does.
  it('FIELD_DUPLICATE_ITEMS: the code uniqueItems maps to', () => {
    const validate = new Ajv({ allErrors: true }).compile({ type: 'object', properties: { tags: { type: 'array', uniqueItems: true } } });
    expect(validate({ tags: ['a', 'b', 'a'] })).toBe(false);
    expect(toFieldErrors(validate.errors ?? [])).toEqual([expect.objectContaining({ code: 'FIELD_DUPLICATE_ITEMS', pointer: '/tags' })]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unstorableText } from '../../../src/ingest/text-check.ts';
import { BridgeError, type FieldError } from '../../../src/errors.ts';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import { validateRecord } from '../../../src/ingest/verdict.ts';
import { EXAMPLE_ADVICE, daysFromToday, syntheticBsn, validAdvice } from '../../support/fixtures.ts';

const EXAMPLES = new URL('../../../schemas/examples/', import.meta.url);
const NOW = new Date();

function verdict(body: unknown): { status: number; code: string; errors: FieldError[] } | 'accepted' {
  try {
    validateRecord(KINDS.advice, body, NOW);
    return 'accepted';
  } catch (err) {
    if (!(err instanceof BridgeError)) throw err;
    return { status: err.status, code: err.code, errors: err.errors ?? [] };
  }
}

const codesAt = (v: ReturnType<typeof verdict>) => (v === 'accepted' ? [] : v.errors.map((e) => `${e.code} ${e.pointer}`).sort());

describe('advice validation', () => {
  it('refuses a NUL character anywhere as a field error, since PostgreSQL cannot store it (found by the fuzz campaign)', () => {
    const a = validAdvice() as Record<string, unknown> & { subject: { name: Record<string, unknown> } };
    a.subject.name['surname'] = 'Jan\u0000sen';
    a['goal'] = '\u0000';
    expect(verdict(a)).toMatchObject({ status: 400, code: 'BRIDGE_VALIDATION_FAILED' });
    expect(codesAt(verdict(a))).toEqual(['FIELD_NUL_CHARACTER /goal', 'FIELD_NUL_CHARACTER /subject/name/surname']);
  });

  it('refuses an unpaired UTF-16 surrogate in a value or a key, which jsonb refuses, and accepts a real pair (found by the fuzz campaign)', () => {
    const a = validAdvice() as Record<string, unknown> & { subject: { name: Record<string, unknown> } };
    a.subject.name['surname'] = 'Jan\ud800sen';
    a['goal'] = 'low \udc00 first';
    expect(codesAt(verdict(a))).toEqual(['FIELD_UNPAIRED_SURROGATE /goal', 'FIELD_UNPAIRED_SURROGATE /subject/name/surname']);
    // A key: the schemas refuse unknown keys first, so the check is called on its own here.
    expect(unstorableText({ notes: { 'a\ud83d': 'x', ok: '\ud83d\ude00' } }).map((e) => `${e.code} ${e.pointer}`)).toEqual([
      'FIELD_UNPAIRED_SURROGATE /notes/a\ud83d',
    ]);
    const c = validAdvice() as Record<string, unknown> & { subject: { name: Record<string, unknown> } };
    c.subject.name['surname'] = 'Jansen \ud83d\ude00';
    expect(verdict(c)).toBe('accepted');
  });

  it('finds an unstorable string wherever it is, and only then, naming the fields the first implementation named', () => {
    const text = fc.array(fc.constantFrom('a', 'é', '\u0000', '\ud800', '\udc00', '\ud83d\ude00'), { maxLength: 4 }).map((parts) => parts.join(''));
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.constantFrom(null, 1, true),
        fc.array(tie('any'), { maxLength: 3 }),
        fc.dictionary(text, tie('any'), { maxKeys: 3 }),
      ),
    })).any;
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]) : [];
    // The check as it was before the fast path (one walk naming every pointer, a regular expression for a lone
    // surrogate): the current one must name the same fields with the same codes.
    const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
    const codeOf = (t: string) => (t.includes('\u0000') ? 'FIELD_NUL_CHARACTER' : /\p{Cs}/u.test(t) ? 'FIELD_UNPAIRED_SURROGATE' : undefined);
    const firstWalk = (v: unknown, at = ''): string[] =>
      typeof v === 'string'
        ? codeOf(v)
          ? [`${codeOf(v)} ${at}`]
          : []
        : v === null || typeof v !== 'object'
          ? []
          : Object.entries(v).flatMap(([k, x]) => (codeOf(k) ? [`${codeOf(k)} ${at}/${escape(k)}`] : firstWalk(x, `${at}/${escape(k)}`)));
    fc.assert(
      fc.property(value, (v) => {
        const bad = strings(v).some((t) => t.includes('\u0000') || /\p{Cs}/u.test(t));
        const found = unstorableText(v).map((e) => `${e.code} ${e.pointer}`);
        expect(found.length > 0).toBe(bad);
        expect(found).toEqual(firstWalk(v));
      }),
      { numRuns: 3_000 },
    );
  });

  it('accepts the valid example (with its dates moved to today)', () => {
    expect(verdict(validAdvice())).toBe('accepted');
  });

  it('accepts the published example as it stands while it is current', () => {
    // The published example is dated; once it is older than a year, only its dates would need updating.
    expect(verdict({ ...EXAMPLE_ADVICE, adviceDate: daysFromToday(-1), validUntil: daysFromToday(30) })).toBe('accepted');
  });

  const table: Record<string, { status: number; codes: string[] }> = {
    'advice.invalid.unknown-fields.json': { status: 400, codes: ['FIELD_UNKNOWN /extra', 'FIELD_UNKNOWN /subject/nickname'] },
    'advice.invalid.bsn-eleven-test.json': { status: 422, codes: ['BSN_ELEVEN_TEST /subject/bsn'] },
    'advice.invalid.schema-errors.json': {
      status: 400,
      codes: ['FIELD_NOT_IN_LIST /recommendation/disposal', 'FIELD_REQUIRED /goal', 'FIELD_REQUIRED /issuer/oin', 'FIELD_TYPE /version'],
    },
    'advice.invalid.future-date.json': { status: 422, codes: ['DATE_IN_FUTURE /adviceDate'] },
    'advice.invalid.malformed-date.json': { status: 400, codes: ['FIELD_FORMAT /subject/dateOfBirth'] },
    // Fails every quality criterion but "concise" (its context warning is in the problem's quality member).
    'advice.invalid.quality-criteria.json': {
      status: 422,
      codes: [
        'ADVICE_EXPIRED /validUntil',
        'ADVICE_OUTDATED /adviceDate',
        'CONTEXT_MISSING /context/environment',
        'DV_HISTORY_MISSING /domesticViolence/incidents',
        'GOAL_MISSING /goal',
        'LEGAL_CONDITION_NOT_FOR_DISPOSAL /recommendation/conditions/0/code',
      ],
    },
  };

  it('has an expectation for every invalid advice example in the repository', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.startsWith('advice.invalid.'));
    expect(files.sort()).toEqual(Object.keys(table).sort());
  });

  it.each(Object.entries(table))('%s is refused with every error at its field', (file, expected) => {
    const body = JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as unknown;
    const v = verdict(body);
    expect(v).not.toBe('accepted');
    if (v === 'accepted') return;
    expect(v.status).toBe(expected.status);
    expect(codesAt(v)).toEqual(expected.codes);
  });

  it('does not coerce types: a version given as a string is refused', () => {
    expect(codesAt(verdict({ ...validAdvice(), version: '2' }))).toEqual(['FIELD_TYPE /version']);
  });

  it('refuses a valid-until more than a year after the advice date, or before it', () => {
    const a = validAdvice();
    // A year and two days from yesterday: one day too many, whatever the date the test runs on.
    expect(codesAt(verdict({ ...a, adviceDate: daysFromToday(-1), validUntil: daysFromToday(366) }))).toEqual(['VALIDITY_TOO_LONG /validUntil']);
    expect(codesAt(verdict({ ...a, validUntil: daysFromToday(-10) }))).toEqual(['DATE_ORDER /validUntil']);
  });

  it('refuses a birth date or incident date in the future', () => {
    const a = validAdvice() as { subject: Record<string, unknown>; domesticViolence: { incidents: Record<string, unknown>[] } };
    a.subject['dateOfBirth'] = daysFromToday(2);
    a.domesticViolence.incidents[0]!['date'] = daysFromToday(1);
    expect(codesAt(verdict(a))).toEqual(['DATE_IN_FUTURE /domesticViolence/incidents/0/date', 'DATE_IN_FUTURE /subject/dateOfBirth']);
  });

  it('needs a contact mail address or phone number', () => {
    const a = validAdvice();
    a['contactPoint'] = { name: 'Team ZSM-advies' };
    expect(codesAt(verdict(a))).toEqual(['FIELD_INVALID /contactPoint']);
  });

  it('limits every string and array', () => {
    const a = validAdvice() as Record<string, unknown> & { recommendation: Record<string, unknown> };
    a['goal'] = 'x'.repeat(2001);
    a.recommendation['conditions'] = Array.from({ length: 21 }, () => ({ code: 'meldplicht' }));
    expect(codesAt(verdict(a))).toEqual(['FIELD_TOO_LONG /goal', 'FIELD_TOO_MANY_ITEMS /recommendation/conditions']);
  });

  it('escapes pointers for keys with / and ~', () => {
    const v = verdict({ ...validAdvice(), 'a/b~c': 1 });
    expect(codesAt(v)).toEqual(['FIELD_UNKNOWN /a~1b~0c']);
  });

  it('every string property in the schema has a maxLength and every array a maxItems', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../schemas/advice.v1.json', import.meta.url), 'utf8')) as unknown;
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n['type'] === 'string' && n['maxLength'] === undefined) missing.push(path);
      if (n['type'] === 'array' && n['maxItems'] === undefined) missing.push(path);
      if (n['type'] === 'object' && n['additionalProperties'] !== false) missing.push(`${path} (additionalProperties)`);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });

  it('uses a different synthetic BSN per fixture index', () => {
    expect(syntheticBsn(1)).not.toBe(syntheticBsn(0));
  });
});

describe('case event validation', () => {
  const verdictOf = (file: string) => {
    try {
      validateRecord(KINDS['case-event'], JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')), NOW);
      return 'accepted';
    } catch (err) {
      if (!(err instanceof BridgeError)) throw err;
      return `${err.status} ${(err.errors ?? [])
        .map((e) => `${e.code} ${e.pointer}`)
        .sort()
        .join(', ')}`;
    }
  };

  it('accepts the valid example and refuses each invalid one with every error at its field', () => {
    expect(verdictOf('case-event.valid.json')).toBe('accepted');
    expect(verdictOf('case-event.invalid.schema-errors.json')).toBe('400 FIELD_REQUIRED /decision, FIELD_UNKNOWN /extra');
    expect(verdictOf('case-event.invalid.rules.json')).toBe('422 BSN_ELEVEN_TEST /subject/bsn, DATE_IN_FUTURE /occurredAt');
    expect(
      readdirSync(EXAMPLES)
        .filter((f) => f.startsWith('case-event.invalid.'))
        .sort(),
    ).toEqual(['case-event.invalid.rules.json', 'case-event.invalid.schema-errors.json']);
  });
});

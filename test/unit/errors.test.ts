import { describe, expect, it } from 'vitest';
import { NINE_DIGIT_BSNS } from '../support/bsn-spellings.ts';
import { BridgeError, FIELD_CODES, fieldError, MAX_LISTED_ERRORS, PROBLEMS, toProblem } from '../../src/errors.ts';

describe('the error catalogue', () => {
  // Codes are part of the contract: adding one is fine, changing or removing one breaks clients.
  it('keeps its published codes', () => {
    expect(Object.keys(PROBLEMS)).toEqual(
      expect.arrayContaining([
        'BRIDGE_VALIDATION_FAILED',
        'BRIDGE_MALFORMED_JSON',
        'BRIDGE_FORBIDDEN_KEY',
        'BRIDGE_NOT_FOUND',
        'BRIDGE_CONFLICT',
        'BRIDGE_BODY_TOO_LARGE',
        'BRIDGE_UNSUPPORTED_MEDIA_TYPE',
        'BRIDGE_UNPROCESSABLE',
        'BRIDGE_UNAVAILABLE',
        'BRIDGE_INTERNAL',
        'BRIDGE_URL_REFUSED',
        'BRIDGE_UNAUTHENTICATED',
        'BRIDGE_FORBIDDEN',
        'BRIDGE_SOURCE_MISMATCH',
        'BRIDGE_RATE_LIMITED',
        'BRIDGE_OVERLOADED',
      ]),
    );
    expect(Object.keys(FIELD_CODES)).toEqual(expect.arrayContaining(['FIELD_REQUIRED', 'FIELD_UNKNOWN', 'BSN_ELEVEN_TEST', 'DATE_IN_FUTURE']));
  });

  it('gives every code a status and a title, and every code its own problem type', () => {
    const types = new Set<string>();
    for (const [code, p] of Object.entries(PROBLEMS)) {
      expect(p.status).toBeGreaterThanOrEqual(400);
      expect(p.title.length).toBeGreaterThan(5);
      types.add(toProblem(new BridgeError(code as keyof typeof PROBLEMS)).type);
    }
    expect(types.size).toBe(Object.keys(PROBLEMS).length);
  });

  it('hides the detail of an internal error and keeps its cause for the log', () => {
    const cause = new Error('relation "records" does not exist');
    const err = new BridgeError('BRIDGE_INTERNAL', 'query failed: relation "records" does not exist', { cause });
    expect(toProblem(err).detail).toBe('Internal error');
    expect(err.cause).toBe(cause);
  });
});

describe('the ceiling on listed problems', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => fieldError('FIELD_UNKNOWN', `/k${i}`));

  it(`keeps at most ${MAX_LISTED_ERRORS} problems and counts the rest`, () => {
    const err = new BridgeError('BRIDGE_VALIDATION_FAILED', undefined, { errors: many(300), errorsOmitted: 7 });
    expect(err.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(err.errorsOmitted).toBe(300 - MAX_LISTED_ERRORS + 7);
    const problem = toProblem(err);
    expect(problem.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(problem.errors?.[0]?.pointer).toBe('/k0');
    expect(problem.errorsOmitted).toBe(300 - MAX_LISTED_ERRORS + 7);
  });

  it('lists fewer when asked (a batch sharing one budget), and leaves errorsOmitted out when nothing is left out', () => {
    const err = new BridgeError('BRIDGE_VALIDATION_FAILED', undefined, { errors: many(3) });
    expect(toProblem(err)).not.toHaveProperty('errorsOmitted');
    expect(toProblem(err, undefined, 1)).toMatchObject({ errors: [{ pointer: '/k0' }], errorsOmitted: 2 });
    const none = toProblem(err, undefined, 0);
    expect(none).not.toHaveProperty('errors');
    expect(none.errorsOmitted).toBe(3);
  });
});

describe('pointers in a problem document', () => {
  it('mask a long digit run (a key the client chose could be a BSN) and keep array indices', () => {
    const bsn = NINE_DIGIT_BSNS[0]!;
    const err = new BridgeError('BRIDGE_VALIDATION_FAILED', undefined, {
      errors: [fieldError('FIELD_UNKNOWN', `/${bsn}`), fieldError('FIELD_UNKNOWN', `/subject/x${bsn}y`), fieldError('FIELD_REQUIRED', '/items/12/id')],
    });
    expect(toProblem(err).errors?.map((e) => e.pointer)).toEqual(['/[digits]', '/subject/x[digits]y', '/items/12/id']);
    expect(JSON.stringify(toProblem(err))).not.toContain(bsn);
  });
});

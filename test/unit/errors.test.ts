import { describe, expect, it } from 'vitest';
import { BridgeError, FIELD_CODES, PROBLEMS, toProblem } from '../../src/errors.ts';

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

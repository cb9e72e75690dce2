// Text PostgreSQL cannot store: a NUL character (U+0000) is valid JSON ("\u0000") but jsonb and text refuse it,
// which made such a record a 500 (found by the fuzz campaign). It is refused up front as a field error instead.
import { fieldError, type FieldError } from '../errors.ts';

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** A field error for every string (value or key) holding U+0000. */
export function nulCharacters(value: unknown, pointer = ''): FieldError[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [fieldError('FIELD_NUL_CHARACTER', pointer)] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = `${pointer}/${escapePointer(k)}`;
    return k.includes('\u0000') ? [fieldError('FIELD_NUL_CHARACTER', at)] : nulCharacters(v, at);
  });
}

// Text PostgreSQL cannot store, although it is valid JSON: a NUL character (U+0000, "\u0000"), which jsonb and text
// refuse, and an unpaired UTF-16 surrogate ("\ud800" alone), which is not Unicode text at all and which jsonb
// refuses too. Both made such a record a 500 (found by the fuzz campaign); they are refused up front as field
// errors instead.
import { fieldError, type FieldCode, type FieldError } from '../errors.ts';

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

// With the u flag a well-formed pair is one code point (U+10000 or above), so this matches only a surrogate alone.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

function problem(text: string): FieldCode | undefined {
  if (text.includes('\u0000')) return 'FIELD_NUL_CHARACTER';
  if (UNPAIRED_SURROGATE.test(text)) return 'FIELD_UNPAIRED_SURROGATE';
  return undefined;
}

/** A field error for every string (value or key) that PostgreSQL cannot store. */
export function unstorableText(value: unknown, pointer = ''): FieldError[] {
  if (typeof value === 'string') {
    const code = problem(value);
    return code ? [fieldError(code, pointer)] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = `${pointer}/${escapePointer(k)}`;
    const code = problem(k);
    return code ? [fieldError(code, at)] : unstorableText(v, at);
  });
}

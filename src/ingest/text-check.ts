// Text PostgreSQL cannot store, although it is valid JSON: a NUL character (U+0000, "\u0000"), which jsonb and text
// refuse, and an unpaired UTF-16 surrogate ("\ud800" alone), which is not Unicode text at all and which jsonb
// refuses too. Both made such a record a 500 (found by the fuzz campaign); they are refused up front as field
// errors instead.
import { fieldError, type FieldCode, type FieldError } from '../errors.ts';

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function problem(text: string): FieldCode | undefined {
  if (text.includes('\u0000')) return 'FIELD_NUL_CHARACTER';
  // isWellFormed: false exactly when the string holds a surrogate without its pair.
  if (!text.isWellFormed()) return 'FIELD_UNPAIRED_SURROGATE';
  return undefined;
}

/** True when every string (value or key) can be stored: the common case, checked without building pointers. */
function storable(value: unknown): boolean {
  if (typeof value === 'string') return problem(value) === undefined;
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(storable);
  for (const key of Object.keys(value)) {
    if (problem(key) !== undefined || !storable((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A field error for every string (value or key) that PostgreSQL cannot store. Every body passes through here,
 * so it is first checked without building pointers, which only a refusal needs. */
export function unstorableText(value: unknown): FieldError[] {
  return storable(value) ? [] : errorsIn(value, '');
}

function errorsIn(value: unknown, pointer: string): FieldError[] {
  if (typeof value === 'string') {
    const code = problem(value);
    return code ? [fieldError(code, pointer)] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = `${pointer}/${escapePointer(k)}`;
    const code = problem(k);
    return code ? [fieldError(code, at)] : errorsIn(v, at);
  });
}

// JSON Schemas of the contract (schemas/*.json), compiled once at load, strict, with no type coercion: "1" is not
// 1. Every error is collected, not just the first, for a body of a size a record can have; a larger one (300,000
// unknown keys) is checked up to its first error only, so that the validator's work and memory stay bounded.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fieldError, type FieldCode, type FieldError } from '../errors.ts';
import { SPECIAL_CATEGORY_KEYWORD } from '../exchange/field-paths.ts';

export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMAS_DIR + file, 'utf8')) as Record<string, unknown>;
}

// strictRequired is off because `anyOf: [{required: [a]}, {required: [b]}]` (one of two contact fields) names
// properties declared one level up, which is valid JSON Schema but trips that check.
function newAjv(allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors, strict: true, strictRequired: false, coerceTypes: false, useDefaults: false, removeAdditional: false });
  addFormatsModule.default(ajv, ['date', 'date-time', 'email', 'uri', 'uuid']);
  // An annotation, not a check: it marks fields whose data the exchange policy must admit by an explicit rule
  // (src/exchange/policy-plan.ts). Registered so that strict mode accepts it and a misspelt category fails at load.
  ajv.addKeyword({ keyword: SPECIAL_CATEGORY_KEYWORD, schemaType: 'string', metaSchema: { enum: SPECIAL_CATEGORIES } });
  return ajv;
}

/** Special categories of personal data (AVG art. 9(1)). */
export const SPECIAL_CATEGORIES = [
  'health',
  'racial-or-ethnic-origin',
  'political-opinions',
  'religious-or-philosophical-beliefs',
  'trade-union-membership',
  'genetic',
  'biometric',
  'sex-life',
  'sexual-orientation',
] as const;

/** Every contract schema, compiled at load: a broken schema stops the process at start, not at the first request. */
export const SCHEMA_FILES = ['advice.v1.json', 'case-event.v1.json'] as const;
export type SchemaFile = (typeof SCHEMA_FILES)[number];

const everyError = newAjv(true);
const firstError = newAjv(false);
const compiled = new Map<string, ValidateFunction>(SCHEMA_FILES.map((f) => [f, everyError.compile(readSchema(f))]));
const compiledFirstError = new Map<string, ValidateFunction>(SCHEMA_FILES.map((f) => [f, firstError.compile(readSchema(f))]));

/** A body with more values than this (object members and array items, at any depth) is checked only up to its
 * first schema error. Every array of the contract has a maxItems and every object a closed set of members, so a
 * record that matches holds far fewer (a full advice: a few hundred); ajv collecting every error of a larger body
 * took 170 MB and 0.7 s for 300,000 unknown keys. */
export const MAX_FULLY_CHECKED_VALUES = 10_000;

/** True when `value` holds more than `limit` values; stops counting there. No recursion: no depth limit. */
export function holdsMoreValuesThan(value: unknown, limit: number): boolean {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      count += v.length;
      if (count > limit) return true;
      for (const item of v as unknown[]) if (item !== null && typeof item === 'object') pending.push(item);
    } else {
      for (const key in v) {
        if (++count > limit) return true;
        const item = (v as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') pending.push(item);
      }
    }
  }
  return false;
}

export interface SchemaProblems {
  /** Empty when the body matches the schema. */
  errors: FieldError[];
  /** False when the body was too large to collect every error, and only the first is given. */
  complete: boolean;
}

/** The schema's verdict on a body, every problem for a body of a record's size, the first for a larger one. */
export function schemaProblems(file: string, body: unknown): SchemaProblems {
  const complete = !holdsMoreValuesThan(body, MAX_FULLY_CHECKED_VALUES);
  const validate = (complete ? compiled : compiledFirstError).get(file);
  if (!validate) throw new Error(`schema ${file} is not in SCHEMA_FILES`);
  return validate(body) ? { errors: [], complete } : { errors: toFieldErrors(validate.errors ?? []), complete };
}

export function validatorFor(file: string): ValidateFunction {
  const v = compiled.get(file);
  if (!v) throw new Error(`schema ${file} is not in SCHEMA_FILES`);
  return v;
}

const KEYWORD_CODES: Record<string, FieldCode> = {
  required: 'FIELD_REQUIRED',
  additionalProperties: 'FIELD_UNKNOWN',
  unevaluatedProperties: 'FIELD_UNKNOWN',
  type: 'FIELD_TYPE',
  maxLength: 'FIELD_TOO_LONG',
  minLength: 'FIELD_TOO_SHORT',
  format: 'FIELD_FORMAT',
  pattern: 'FIELD_PATTERN',
  enum: 'FIELD_NOT_IN_LIST',
  const: 'FIELD_NOT_IN_LIST',
  minimum: 'FIELD_OUT_OF_RANGE',
  maximum: 'FIELD_OUT_OF_RANGE',
  exclusiveMinimum: 'FIELD_OUT_OF_RANGE',
  exclusiveMaximum: 'FIELD_OUT_OF_RANGE',
  maxItems: 'FIELD_TOO_MANY_ITEMS',
  minItems: 'FIELD_TOO_FEW_ITEMS',
  uniqueItems: 'FIELD_DUPLICATE_ITEMS',
  maxProperties: 'FIELD_TOO_MANY_ITEMS',
};

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'pattern':
      return `does not match the pattern ${String(p['pattern'])}`;
    case 'maxLength':
      return `is too long (at most ${String(p['limit'])} characters)`;
    case 'minLength':
      return `is too short (at least ${String(p['limit'])} characters)`;
    case 'maxItems':
      return `has too many items (at most ${String(p['limit'])})`;
    case 'type':
      return `must be of type ${String(p['type'])}`;
    case 'format':
      return `must be a valid ${String(p['format'])}`;
    case 'enum':
      return `must be one of: ${(p['allowedValues'] as unknown[]).join(', ')}`;
    case 'anyOf':
      return 'must satisfy one of the alternatives (see the schema)';
    default:
      return e.message ?? 'is invalid';
  }
}

/** Maps ajv errors to field errors with stable codes and JSON pointers into the body. */
export function toFieldErrors(allErrors: ErrorObject[]): FieldError[] {
  let errors = allErrors;
  // An anyOf failure is reported once at its own place; its branches' errors would only confuse.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  // An if/then failure is reported by the `then` branch's own errors; the `if` error itself says nothing more.
  errors = errors.filter((e) => e.keyword !== 'if');
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.some((p) => e.schemaPath.startsWith(p + '/'))) continue;
    const p = e.params as Record<string, unknown>;
    let pointer = e.instancePath;
    if (e.keyword === 'required') pointer += '/' + escapePointer(String(p['missingProperty']));
    if (e.keyword === 'additionalProperties') pointer += '/' + escapePointer(String(p['additionalProperty']));
    const code = KEYWORD_CODES[e.keyword] ?? 'FIELD_INVALID';
    const key = `${code} ${pointer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fieldError(code, pointer, describe(e)));
  }
  return out;
}

// The one catalogue of error codes. A code never changes meaning once published: clients branch on it.
// Request-level codes (BRIDGE_*) pick the HTTP status; field-level codes describe one problem at one JSON pointer.

export const PROBLEMS = {
  BRIDGE_VALIDATION_FAILED: { status: 400, title: 'The request body does not match the schema' },
  BRIDGE_MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  BRIDGE_FORBIDDEN_KEY: { status: 400, title: 'The request body holds a forbidden key (__proto__, constructor.prototype)' },
  BRIDGE_BAD_REQUEST: { status: 400, title: 'The request is malformed' },
  BRIDGE_DUPLICATE_MEMBER: { status: 400, title: 'The request body names a member twice in one object (I-JSON, RFC 7493)' },
  BRIDGE_DUPLICATE_HEADER: {
    status: 400,
    title: 'A header that may appear once appears more than once (Authorization, Content-Type, Content-Length, Content-Encoding)',
  },
  BRIDGE_INVALID_TRANSACTION_ID: {
    status: 400,
    title: 'The Fsc-Transaction-Id header is not a UUID version 7 (FSC Logging, Digikoppeling REST API profile)',
  },
  BRIDGE_URL_REFUSED: { status: 400, title: 'The URL holds a query string the route does not take, or a number that could be a BSN' },
  BRIDGE_UNAUTHENTICATED: { status: 401, title: 'No valid credentials: send a bearer token or a known client certificate' },
  BRIDGE_FORBIDDEN: { status: 403, title: 'This client may not use this resource' },
  BRIDGE_SOURCE_MISMATCH: { status: 403, title: 'A client may only submit records in the name of its own organisation' },
  BRIDGE_NOT_FOUND: { status: 404, title: 'No such resource' },
  BRIDGE_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this resource' },
  BRIDGE_NOT_ACCEPTABLE: { status: 406, title: 'No acceptable representation' },
  BRIDGE_REQUEST_TIMEOUT: { status: 408, title: 'The whole request did not arrive in time (a body shorter than its Content-Length, or sent too slowly)' },
  BRIDGE_CONFLICT: { status: 409, title: 'A different record with the same id and version was already accepted' },
  BRIDGE_FEED_GONE: { status: 410, title: 'The feed no longer holds the events after this cursor; resume from the cursor the problem names' },
  BRIDGE_BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  BRIDGE_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Content-Type must be application/json' },
  BRIDGE_UNSUPPORTED_ENCODING: { status: 415, title: 'Content-Encoding must be identity: compressed bodies are not taken' },
  BRIDGE_UNPROCESSABLE: { status: 422, title: 'The record is well-formed but breaks a rule' },
  BRIDGE_POLICY_REFUSED: { status: 422, title: 'The exchange policy does not allow this record' },
  BRIDGE_RATE_LIMITED: { status: 429, title: 'Too many requests from this client; try again after the indicated time' },
  BRIDGE_UNAVAILABLE: { status: 503, title: 'The service cannot take this request now; try again later' },
  BRIDGE_NOT_READY: { status: 503, title: 'Not ready: a dependency does not answer or the relay falls behind' },
  BRIDGE_OVERLOADED: { status: 503, title: 'The service is shedding load; nothing was stored; try again after the indicated time' },
  BRIDGE_OUTCOME_UNKNOWN: {
    status: 503,
    title: 'The outcome is unknown: the database connection was lost during the commit; re-sending the same record is safe, it returns the original receipt',
  },
  BRIDGE_INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** Field-level codes, each with the English default text. */
export const FIELD_CODES = {
  FIELD_REQUIRED: 'is required',
  FIELD_UNKNOWN: 'is not a known field',
  FIELD_TYPE: 'has the wrong type',
  FIELD_TOO_LONG: 'is too long',
  FIELD_TOO_SHORT: 'is too short',
  FIELD_FORMAT: 'is not in the required format',
  FIELD_PATTERN: 'does not match the required pattern',
  FIELD_NOT_IN_LIST: 'is not one of the allowed values',
  FIELD_OUT_OF_RANGE: 'is out of range',
  FIELD_TOO_MANY_ITEMS: 'has too many items',
  FIELD_TOO_FEW_ITEMS: 'has too few items',
  FIELD_DUPLICATE_ITEMS: 'has duplicate items',
  FIELD_DUPLICATE_MEMBER: 'is a member name given more than once in its object',
  FIELD_TOO_MANY_MEMBERS: 'has more members than any object of the API may have',
  FIELD_INVALID: 'is invalid',
  FIELD_NUL_CHARACTER: 'holds a NUL character (U+0000), which cannot be stored',
  FIELD_UNPAIRED_SURROGATE: 'holds an unpaired UTF-16 surrogate (U+D800 to U+DFFF on its own), which is not Unicode text and cannot be stored',
  BSN_ELEVEN_TEST: 'is not a valid BSN (fails the eleven-test)',
  DATE_IN_FUTURE: 'lies in the future',
  DATE_ORDER: 'lies before the date it must follow',
  VALIDITY_TOO_LONG: 'lies more than one year after the advice date',
  // Quality criteria of an advice (src/quality/): English default texts; src/quality/messages.ts has both
  // languages with the figures filled in. DATE_IN_FUTURE, DATE_ORDER and VALIDITY_TOO_LONG above are also the
  // "current" criterion's codes for the advice date and valid-until.
  ADVICE_OUTDATED: 'lies more than one year before today',
  ADVICE_EXPIRED: 'lies in the past: the advice may no longer be used',
  GOAL_MISSING: 'is empty or a placeholder instead of the goal of the intervention',
  GOAL_TOO_BRIEF: 'is too brief to make the goal of the intervention clear',
  GOAL_REFERS_ELSEWHERE: 'refers elsewhere (a dossier, an earlier advice) or defers the goal instead of stating it',
  CONTEXT_MISSING: 'is empty or a placeholder instead of the impact on the system or environment',
  CONTEXT_TOO_BRIEF: 'is too brief to describe the impact on the system or environment',
  CONTEXT_REFERS_ELSEWHERE: 'refers elsewhere (a dossier, a report) or defers the context instead of describing the impact',
  LEGAL_CONDITIONS_MISSING: 'names no conditions, which the recommended disposal needs',
  LEGAL_CONDITION_NOT_FOR_DISPOSAL: 'is a condition the recommended disposal cannot carry',
  LEGAL_CONDITION_REPEATED: 'repeats a condition given earlier',
  CONCISE_FIELD_LONG: 'is long; keep it short',
  CONCISE_FIELD_TOO_LONG: 'is longer than an advice text may be',
  CONCISE_NARRATIVE_LONG: 'the texts of the advice together are long; keep them short',
  CONCISE_NARRATIVE_TOO_LONG: 'the texts of the advice together are longer than they may be',
  DV_HISTORY_MISSING: 'is missing: a domestic-violence advice needs its incident history (date, kind, role)',
  DV_HISTORY_WITHOUT_FLAG: 'lists incidents while the domestic-violence flag is off',
  LEGAL_BASIS_NOT_ACCEPTED: 'is not a legal basis the exchange policy accepts for this kind of record',
  PURPOSE_NOT_ACCEPTED: 'is not a purpose the stated legal basis covers in the exchange policy',
  SPECIAL_CATEGORY_NOT_ALLOWED: 'holds special-category personal data that no rule of the exchange policy admits',
  MUNICIPALITY_UNKNOWN: 'names a municipality that no Zorg- en Veiligheidshuis region covers',
  KIND_NOT_IN_POLICY: 'is a kind of record the exchange policy has no rules for',
  // Identifiers in free text (src/privacy/identifiers-in-text.ts, src/ingest/identifiers-check.ts): the texts never
  // repeat the value found; src/privacy/identifier-messages.ts has them in English and Dutch.
  BSN_IN_TEXT: 'holds a number that passes the eleven-test as a BSN, where a recipient not granted it would read it',
  SUBJECT_NAME_IN_TEXT: "holds the subject's name, where a recipient not granted it would read it",
  SUBJECT_BIRTH_DATE_IN_TEXT: "holds the subject's date of birth, where a recipient not granted it would read it",
  PERSONAL_DATA_IN_IDENTIFIER: "is an identifier and holds a BSN or the subject's name or date of birth, which identifiers may never carry",
} as const;

export type FieldCode = keyof typeof FIELD_CODES;

export interface FieldError {
  code: FieldCode;
  /** RFC 6901 JSON pointer into the request body. */
  pointer: string;
  detail: string;
  /** The quality criterion the problem belongs to, for quality findings (src/quality/). */
  criterion?: string;
  /** For a refusal by the exchange policy: the place of the rule in the policy (`kinds.advice.accepts`). */
  rule?: string;
}

export const PROBLEM_TYPE_BASE = 'urn:gcos-zsm-bridge:problem:';

/** The most field problems an error holds and a problem document lists; the rest are only counted
 * (`errorsOmitted`), so that a body with a million mistakes gets an answer of a few kilobytes. */
export const MAX_LISTED_ERRORS = 50;

export class BridgeError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  /** At most MAX_LISTED_ERRORS problems, in the order found. */
  readonly errors: FieldError[] | undefined;
  /** Problems found beyond those in `errors`. */
  readonly errorsOmitted: number;
  readonly headers: Record<string, string>;
  /** Extension members of the problem document (RFC 9457 section 3.2), e.g. the quality report of a refusal. */
  readonly extensions: Record<string, unknown>;

  constructor(
    code: ProblemCode,
    detail?: string,
    options: {
      errors?: FieldError[];
      /** Problems the finder counted but did not keep (on top of those beyond MAX_LISTED_ERRORS in `errors`). */
      errorsOmitted?: number;
      cause?: unknown;
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail ?? PROBLEMS[code].title, { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.status = PROBLEMS[code].status;
    const all = options.errors;
    this.errors = all && all.length > MAX_LISTED_ERRORS ? all.slice(0, MAX_LISTED_ERRORS) : all;
    this.errorsOmitted = (options.errorsOmitted ?? 0) + (all ? all.length - (this.errors?.length ?? 0) : 0);
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  errors?: FieldError[];
  /** How many problems were found beyond those listed in `errors`. */
  errorsOmitted?: number;
  [extension: string]: unknown;
}

/** The problem document of an error. `maxErrors` lowers the number of problems listed (a batch answer shares
 * one budget among its items); what is not listed is counted in `errorsOmitted`. */
export function toProblem(err: BridgeError, instance?: string, maxErrors: number = MAX_LISTED_ERRORS): Problem {
  const p: Problem = {
    type: PROBLEM_TYPE_BASE + err.code.toLowerCase().replace(/_/g, '-'),
    title: PROBLEMS[err.code].title,
    status: err.status,
    // 5xx detail stays generic: internals are for the log, not the client.
    detail: err.status >= 500 && err.code === 'BRIDGE_INTERNAL' ? PROBLEMS.BRIDGE_INTERNAL.title : err.message,
    code: err.code,
  };
  if (instance) p.instance = instance;
  const listed = err.errors?.slice(0, Math.max(0, maxErrors)).map((e) => ({ ...e, pointer: maskPointerDigits(e.pointer) })) ?? [];
  if (listed.length > 0) p.errors = listed;
  const omitted = err.errorsOmitted + (err.errors?.length ?? 0) - listed.length;
  if (omitted > 0) p.errorsOmitted = omitted;
  // Extension members come after the standard ones and cannot replace them.
  for (const [key, value] of Object.entries(err.extensions)) if (!(key in p)) p[key] = value;
  return p;
}

// A JSON pointer names keys the client chose; a long digit run in one could be a BSN. Masked wherever a pointer
// leaves the process: in a problem document, the processing log and a dead letter.
export const maskPointerDigits = (pointer: string): string => pointer.replace(/\d{5,}/g, '[digits]');

export function fieldError(code: FieldCode, pointer: string, detail?: string, rule?: string): FieldError {
  const e: FieldError = { code, pointer, detail: detail ?? FIELD_CODES[code] };
  if (rule) e.rule = rule;
  return e;
}

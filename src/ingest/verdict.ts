// The verdict on one record, with no database and no broker: schema, then the rules, the quality criteria and
// the exchange policy together, so that a refusal lists every problem at once. REST, the inbound Kafka topic and
// the offline validator (`gcos-zsm-bridge validate`) all come here, and so get the same codes and texts.
import { BridgeError, fieldError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import { isValidBsn } from '../privacy/bsn.ts';
import type { QualityReport } from '../quality/criteria.ts';
import { DEFAULT_LANGUAGE, type Language } from '../quality/language.ts';
import { refusalErrors, renderReport } from '../quality/render.ts';
import type { Severities } from '../quality/severity.ts';
import { todayInAmsterdam } from '../records/dates.ts';
import { judgeIdentifiers, type Redaction } from './identifiers-check.ts';
import { unstorableText } from './text-check.ts';
import type { RecordKind } from './kinds/kind.ts';
import { MAX_FULLY_CHECKED_VALUES, schemaProblems } from './schemas.ts';

export interface VerdictOptions {
  /** Overrides of the quality codes' default severities (QUALITY_SEVERITIES). */
  severities?: Severities | undefined;
  /** Language of the quality messages in a refusal. */
  language?: Language | undefined;
  /** The exchange policy's plan: when given, its admission (legal basis, purpose, special categories) is judged too. */
  plan?: ExchangePlan | undefined;
}

export interface Verdict<T> {
  record: T;
  /** The quality findings (kinds with criteria), language-neutral; none of them refuses. */
  quality?: QualityReport;
  /** Identifiers in free text to replace in some recipients' views (the policy's identifiersInText: redact). */
  redactions?: Redaction[];
}

/** The value at a JSON pointer of a record that passed its schema. */
export function valueAt(record: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], record);
}

/** Returns the typed record and its quality report, or throws a BridgeError: 400 for the schema; 422 for rules,
 * refusing quality findings and the policy (BRIDGE_POLICY_REFUSED when the policy refuses), every one listed, with
 * the quality report as the problem's `quality` member. */
export function validateRecord<T>(kind: RecordKind<T>, body: unknown, now: Date, options: VerdictOptions = {}): Verdict<T> {
  const schema = schemaProblems(kind.schemaFile, body);
  if (schema.errors.length > 0) {
    const detail = schema.complete
      ? `The ${kind.name} does not match its schema`
      : `The ${kind.name} does not match its schema; it holds more than ${MAX_FULLY_CHECKED_VALUES} values, so only its first problem was looked for`;
    throw new BridgeError('BRIDGE_VALIDATION_FAILED', detail, { errors: schema.errors });
  }
  const unstorable = unstorableText(body);
  if (unstorable.length > 0) throw new BridgeError('BRIDGE_VALIDATION_FAILED', `The ${kind.name} holds text that cannot be stored`, { errors: unstorable });
  const record = body as T;
  const today = todayInAmsterdam(now);
  const errors = kind.check(record, today, now);
  if (!isValidBsn(kind.subjectBsn(record))) errors.unshift(fieldError('BSN_ELEVEN_TEST', kind.bsnPointer));
  const quality = kind.assess?.(record, today, options.severities ?? {});
  const language = options.language ?? DEFAULT_LANGUAGE;
  if (quality) errors.push(...refusalErrors(quality, language));
  const admitted =
    options.plan?.admit({
      kind: kind.name,
      record,
      legalBasis: { value: String(valueAt(record, kind.legalBasisPointer)), pointer: kind.legalBasisPointer },
      purpose: { value: String(valueAt(record, kind.purposePointer)), pointer: kind.purposePointer },
    }) ?? [];
  // Identifiers in free text: refusals of the policy too (its identifiersInText), or redactions in some views.
  const identifiers = options.plan ? judgeIdentifiers(kind, record, options.plan, language) : undefined;
  const refusals = identifiers && identifiers.errors.length > 0 ? [...admitted, ...identifiers.errors] : admitted;
  if (errors.length > 0 || refusals.length > 0) {
    const code = refusals.length > 0 ? 'BRIDGE_POLICY_REFUSED' : 'BRIDGE_UNPROCESSABLE';
    const detail =
      refusals.length > 0 ? `The exchange policy refuses this ${kind.name} (${refusals.length} rule(s))` : `The ${kind.name} breaks ${errors.length} rule(s)`;
    throw new BridgeError(code, detail, {
      errors: [...errors, ...refusals],
      ...(quality && { headers: { 'content-language': language, vary: 'accept-language' }, extensions: { quality: renderReport(quality, language) } }),
    });
  }
  const redactions = identifiers && identifiers.redactions.length > 0 ? identifiers.redactions : undefined;
  return { record, ...(quality && { quality }), ...(redactions && { redactions }) };
}

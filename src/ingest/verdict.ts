// The verdict on one record, with no database and no broker: schema, then the rules and the quality criteria
// together, so that a refusal lists every problem at once. REST, the inbound Kafka topic and the offline
// validator (`gcos-zsm-bridge validate`) all come here, and so get the same codes and texts.
import { BridgeError, fieldError } from '../errors.ts';
import { isValidBsn } from '../privacy/bsn.ts';
import type { QualityReport } from '../quality/criteria.ts';
import { DEFAULT_LANGUAGE, type Language } from '../quality/language.ts';
import { refusalErrors, renderReport } from '../quality/render.ts';
import type { Severities } from '../quality/severity.ts';
import { todayInAmsterdam } from './dates.ts';
import type { RecordKind } from './kinds/kind.ts';
import { toFieldErrors, validatorFor } from './schemas.ts';

export interface VerdictOptions {
  /** Overrides of the quality codes' default severities (QUALITY_SEVERITIES). */
  severities?: Severities;
  /** Language of the quality messages in a refusal. */
  language?: Language;
}

export interface Verdict<T> {
  record: T;
  /** The quality findings (kinds with criteria), language-neutral; none of them refuses. */
  quality?: QualityReport;
}

/** Returns the typed record and its quality report, or throws a BridgeError: 400 for the schema, 422 for rules
 * and refusing quality findings (every one listed, the quality report as the problem's `quality` member). */
export function validateRecord<T>(kind: RecordKind<T>, body: unknown, now: Date, options: VerdictOptions = {}): Verdict<T> {
  const validate = validatorFor(kind.schemaFile);
  if (!validate(body)) {
    throw new BridgeError('BRIDGE_VALIDATION_FAILED', `The ${kind.name} does not match its schema`, { errors: toFieldErrors(validate.errors ?? []) });
  }
  const record = body as T;
  const today = todayInAmsterdam(now);
  const errors = kind.check(record, today);
  if (!isValidBsn(kind.subjectBsn(record))) errors.unshift(fieldError('BSN_ELEVEN_TEST', kind.bsnPointer));
  const quality = kind.assess?.(record, today, options.severities ?? {});
  const language = options.language ?? DEFAULT_LANGUAGE;
  if (quality) errors.push(...refusalErrors(quality, language));
  if (errors.length > 0) {
    throw new BridgeError('BRIDGE_UNPROCESSABLE', `The ${kind.name} breaks ${errors.length} rule(s)`, {
      errors,
      ...(quality && { headers: { 'content-language': language, vary: 'accept-language' }, extensions: { quality: renderReport(quality, language) } }),
    });
  }
  return quality ? { record, quality } : { record };
}

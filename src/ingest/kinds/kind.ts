// What the pipeline needs to know about one kind of record. Adding a kind means adding one of these.
import type { FieldError } from '../../errors.ts';
import type { QualityReport } from '../../quality/criteria.ts';
import type { Severities } from '../../quality/severity.ts';

export interface RecordIdentity {
  /** OIN of the organisation the record is issued by. */
  source: string;
  externalId: string;
  version: number;
}

export interface RecordKind<T = unknown> {
  /** Path segment and topic segment: 'advice', 'case-event'. */
  name: string;
  schemaFile: string;
  /** CloudEvents type of the message announcing an accepted record (reverse-DNS, named after the domain). */
  eventType: string;
  identity(record: T): RecordIdentity;
  subjectBsn(record: T): string;
  /** Where the subject's BSN sits, for error pointers. */
  bsnPointer: string;
  /** The subject's name (an object with surname, surnamePrefix, givenNames) and date of birth, as JSON pointers:
   * what the free-text check looks for and which grants may read them (src/ingest/identifiers-check.ts). */
  subjectNamePointer: string;
  dateOfBirthPointer: string;
  /** Fields that identify the record or reach keys, receipts and lookups: a BSN, name or birth date in one is
   * refused whatever the policy's identifiersInText says. */
  identifierPointers: ReadonlySet<string>;
  /** Where the record states the legal basis and the purpose of the exchange (JSON pointers to strings). */
  legalBasisPointer: string;
  purposePointer: string;
  /** Rules the schema cannot express (dates relative to today, cross-field rules); they always refuse. */
  check(record: T, today: string, now: Date): FieldError[];
  /** Quality criteria (advices): findings with their configured severity. Kinds without criteria leave it out. */
  assess?(record: T, today: string, severities: Severities): QualityReport;
  /** The last day the record may be used; the expiry job marks it expired after that day. */
  validUntil?(record: T): string;
  /** CloudEvents type of the message telling each recipient that the record expired. */
  expiredEventType?: string;
}

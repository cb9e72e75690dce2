// What the pipeline needs to know about one kind of record. Adding a kind means adding one of these.
import type { FieldError } from '../../errors.ts';

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
  /** Where the record states the legal basis and the purpose of the exchange (JSON pointers to strings). */
  legalBasisPointer: string;
  purposePointer: string;
  /** Rules the schema cannot express (dates relative to today, cross-field rules). */
  check(record: T, today: string): FieldError[];
}

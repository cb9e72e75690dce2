import { fieldError, type FieldError } from '../../errors.ts';
import type { CaseEvent } from '../../records/case-event.ts';
import type { RecordKind } from './kind.ts';

// ZSM and the bridge do not share a clock: allow some skew before calling a time "in the future".
const CLOCK_SKEW_MS = 5 * 60_000;

export const caseEventKind: RecordKind<CaseEvent> = {
  name: 'case-event',
  schemaFile: 'case-event.v1.json',
  // One CloudEvents type per ZSM event type would let consumers route on the header; the data says which one it is.
  eventType: 'nl.justitieketen.zsm.case-event.recorded',
  // Events never change: each is version 1 of itself, identified by the emitting system and its event id.
  identity: (e) => ({ source: e.source.oin, externalId: e.eventId, version: 1 }),
  subjectBsn: (e) => e.subject.bsn,
  bsnPointer: '/subject/bsn',
  subjectNamePointer: '/subject/name',
  dateOfBirthPointer: '/subject/dateOfBirth',
  // The event id and the ZSM system name identify the event (receipts, duplicate checks); the case reference and
  // advice ids link records to each other.
  identifierPointers: new Set(['/eventId', '/source/system', '/zsmCaseReference', '/consultation/adviceId', '/decision/relatedAdvice/adviceId']),
  legalBasisPointer: '/legalBasis',
  purposePointer: '/purpose',
  check(e, today, now) {
    const errors: FieldError[] = [];
    const occurred = Date.parse(e.occurredAt);
    if (occurred > now.getTime() + CLOCK_SKEW_MS) errors.push(fieldError('DATE_IN_FUTURE', '/occurredAt'));
    if (e.subject.dateOfBirth && e.subject.dateOfBirth > today) errors.push(fieldError('DATE_IN_FUTURE', '/subject/dateOfBirth'));
    if (e.adviceRequest && Date.parse(e.adviceRequest.deadline) <= occurred) {
      errors.push(fieldError('DATE_ORDER', '/adviceRequest/deadline', 'lies before the moment the advice was requested'));
    }
    if (e.entry?.incident && e.entry.incident.date > today) errors.push(fieldError('DATE_IN_FUTURE', '/entry/incident/date'));
    return errors;
  },
};

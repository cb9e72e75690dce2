import { fieldError, type FieldError } from '../../errors.ts';
import { assessAdvice } from '../../quality/assess.ts';
import type { Advice } from '../../records/advice.ts';
import type { RecordKind } from './kind.ts';

export const adviceKind: RecordKind<Advice> = {
  name: 'advice',
  schemaFile: 'advice.v1.json',
  eventType: 'nl.justitieketen.zsm.advice.accepted',
  expiredEventType: 'nl.justitieketen.zsm.advice.expired',
  identity: (a) => ({ source: a.issuer.oin, externalId: a.adviceId, version: a.version }),
  subjectBsn: (a) => a.subject.bsn,
  bsnPointer: '/subject/bsn',
  subjectNamePointer: '/subject/name',
  dateOfBirthPointer: '/subject/dateOfBirth',
  // The advice id and case references go into message keys, receipts and the known-person lookup's answer; the
  // contact point's name is a team's, never a person's.
  identifierPointers: new Set(['/adviceId', '/gcosCaseReference', '/zsmCaseReference', '/contactPoint/name']),
  // Facts that cannot be true (a birth or an incident tomorrow) always refuse. The advice date and valid-until
  // are the "current" quality criterion (src/quality/rules/current.ts), whose severities are configurable.
  legalBasisPointer: '/legalBasis',
  purposePointer: '/purpose',
  check(a, today) {
    const errors: FieldError[] = [];
    // ISO dates compare correctly as strings.
    if (a.subject.dateOfBirth > today) errors.push(fieldError('DATE_IN_FUTURE', '/subject/dateOfBirth'));
    for (const [i, incident] of (a.domesticViolence.incidents ?? []).entries()) {
      if (incident.date > today) errors.push(fieldError('DATE_IN_FUTURE', `/domesticViolence/incidents/${i}/date`));
    }
    return errors;
  },
  assess: assessAdvice,
  validUntil: (a) => a.validUntil,
};

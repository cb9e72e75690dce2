import { fieldError, type FieldError } from '../../errors.ts';
import { assessAdvice } from '../../quality/assess.ts';
import type { RecordKind } from './kind.ts';

/** The advice record as schemas/advice.v1.json describes it (the fields the code reads). */
export interface Advice {
  adviceId: string;
  version: number;
  issuer: { oin: string; name: string };
  subject: { bsn: string; dateOfBirth: string; municipalityCode?: string; name: { surname: string; givenNames?: string; surnamePrefix?: string } };
  zsmCaseReference?: string;
  adviceDate: string;
  validUntil: string;
  goal: string;
  context: { system: string; environment: string };
  recommendation: { disposal: string; conditions: { code: string; detail?: string }[]; explanation?: string };
  domesticViolence: { flag: boolean; incidents?: { date: string; kind: string; subjectRole: string; summary?: string }[] };
  legalBasis: string;
  purpose: string;
  [field: string]: unknown;
}

export const adviceKind: RecordKind<Advice> = {
  name: 'advice',
  schemaFile: 'advice.v1.json',
  eventType: 'nl.justitieketen.zsm.advice.accepted',
  expiredEventType: 'nl.justitieketen.zsm.advice.expired',
  identity: (a) => ({ source: a.issuer.oin, externalId: a.adviceId, version: a.version }),
  subjectBsn: (a) => a.subject.bsn,
  bsnPointer: '/subject/bsn',
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

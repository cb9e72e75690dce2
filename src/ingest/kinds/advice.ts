import { fieldError, type FieldError } from '../../errors.ts';
import { addYears } from '../dates.ts';
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
  domesticViolence: { flag: boolean; incidents?: { date: string; kind: string; subjectRole: string; summary?: string }[] };
  legalBasis: string;
  purpose: string;
  [field: string]: unknown;
}

export const adviceKind: RecordKind<Advice> = {
  name: 'advice',
  schemaFile: 'advice.v1.json',
  eventType: 'nl.justitieketen.zsm.advice.accepted',
  identity: (a) => ({ source: a.issuer.oin, externalId: a.adviceId, version: a.version }),
  subjectBsn: (a) => a.subject.bsn,
  bsnPointer: '/subject/bsn',
  legalBasisPointer: '/legalBasis',
  purposePointer: '/purpose',
  check(a, today) {
    const errors: FieldError[] = [];
    // ISO dates compare correctly as strings.
    if (a.subject.dateOfBirth > today) errors.push(fieldError('DATE_IN_FUTURE', '/subject/dateOfBirth'));
    if (a.adviceDate > today) errors.push(fieldError('DATE_IN_FUTURE', '/adviceDate'));
    if (a.validUntil < a.adviceDate) errors.push(fieldError('DATE_ORDER', '/validUntil', 'lies before adviceDate'));
    else if (a.validUntil > addYears(a.adviceDate, 1)) errors.push(fieldError('VALIDITY_TOO_LONG', '/validUntil'));
    for (const [i, incident] of (a.domesticViolence.incidents ?? []).entries()) {
      if (incident.date > today) errors.push(fieldError('DATE_IN_FUTURE', `/domesticViolence/incidents/${i}/date`));
    }
    return errors;
  },
};

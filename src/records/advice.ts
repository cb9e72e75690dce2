// The advice record's shape, shared by every layer that reads one (the JSON Schema is schemas/advice.v1.json).
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

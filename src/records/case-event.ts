// The ZSM case event's shape, shared by every layer that reads one (the JSON Schema is schemas/case-event.v1.json).
export const CASE_EVENT_TYPES = ['suspect-entered-zsm', 'advice-requested', 'advice-consulted', 'decision-taken', 'case-closed'] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/** A ZSM case event as schemas/case-event.v1.json describes it (the fields the code reads). */
export interface CaseEvent {
  eventId: string;
  eventType: CaseEventType;
  occurredAt: string;
  source: { oin: string; system: string };
  zsmCaseReference: string;
  subject: { bsn: string; municipalityCode: string; dateOfBirth?: string };
  entry?: { detained: boolean; incident?: { date: string; kind: string; subjectRole: string } };
  adviceRequest?: { deadline: string; question?: string };
  consultation?: { adviceId: string; adviceVersion: number; issuerOin?: string };
  decision?: {
    kind: string;
    conditions: { code: string; detail?: string }[];
    veiligheidshuisApproachNeeded: boolean;
    relatedAdvice?: { issuerOin: string; adviceId: string; adviceVersion: number };
  };
  closure?: { outcome: string; referredTo?: string };
  legalBasis: string;
  purpose: string;
  [field: string]: unknown;
}

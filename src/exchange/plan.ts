// Who receives an accepted record, on which topic, and which view of it; and whether the record may be taken
// at all. Computed at ingest and stored with the outbox row, so the relay sends exactly what was decided when
// the record was accepted.
import type { FieldError } from '../errors.ts';
import type { ExchangePolicy, IdentifiersInText } from './policy.ts';

export interface Disclosure {
  recipient: string;
  /** The policy's grant it comes from: the recipient itself, or for a regional grant the name all regions share. */
  grant: string;
  topic: string;
  /** The recipient's view of the record: only what it may see. */
  view: unknown;
  /** The granted fields this record actually disclosed to the recipient, as policy paths. */
  fields: string[];
  /** Kafka message key: the subject's keyed pseudonym in the recipient's domain, never the BSN. */
  messageKey: string;
}

export interface DisclosureInput {
  kind: string;
  record: unknown;
  subjectBsn: string;
  /** Regions (VR codes) a regional grant also sends to, besides the person's own: the Veiligheidshuis that gave
   * the advice a ZSM decision answers. */
  alsoToRegions?: string[] | undefined;
  /** Per grant, the record to build its view from instead (identifiers it may not see replaced, redact mode). */
  recordFor?: ReadonlyMap<string, unknown> | undefined;
}

/** A grant that applies to a record, and what it would receive of it unchanged. */
export interface Audience {
  grant: string;
  /** Whether the string at these keys (a JSON pointer's segments) reaches the grant's recipients unchanged. */
  plain(segments: readonly string[]): boolean;
}

export interface AdmissionInput {
  kind: string;
  record: unknown;
  /** The legal basis and purpose the record states, with where they sit (for error pointers). */
  legalBasis: { value: string; pointer: string };
  purpose: { value: string; pointer: string };
}

export interface ExchangePlan {
  readonly policy: ExchangePolicy;
  /** The policy's verdict on a record: empty when it may be taken, otherwise one error per broken rule. */
  admit(input: AdmissionInput): FieldError[];
  disclosuresFor(input: DisclosureInput): Disclosure[];
  /** Every grant of a kind, whatever its condition (the same objects on every call). */
  grants(kind: string): readonly Audience[];
  /** The grants whose condition holds for this record (regional grants once, whichever regions they reach). */
  audience(kind: string, record: unknown): Audience[];
  /** What to do with identifiers found in the free text of a kind's records (docs/privacy.md). */
  identifiersInText(kind: string): IdentifiersInText;
  /** URI of the processing activity a kind's records belong to (for the processing log). */
  processingActivity(kind: string): string;
  /** Every topic this plan can send to, for creation at start. */
  topics(): string[];
}

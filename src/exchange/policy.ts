// The exchange policy as the code sees it after loading (policies/exchange-policy.yaml, checked against
// policies/exchange-policy.schema.json and against the record schemas). Deny by default: a recipient gets a
// record only when a grant names it, and only the fields the grant lists.

/** What happens to a granted field on its way to the recipient. */
export type Transform = 'keep' | 'pseudonym' | 'year' | 'drop';
export const TRANSFORMS: readonly Transform[] = ['keep', 'pseudonym', 'year', 'drop'];

export type Scalar = string | number | boolean;

/** When a grant (or a special-category rule) applies; tested against the record. */
export type Condition =
  | { field: string; in: Scalar[] }
  | { field: string; present: boolean }
  | { field: string; youngerThan: number; on: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface RecipientSpec {
  name: string;
  description?: string;
  /** Pseudonyms for this recipient are computed in this domain; recipients sharing a domain can correlate. */
  pseudonymDomain?: string;
}

export interface Grant {
  why: string;
  when?: Condition;
  /** A regional recipient: the field holding the municipality whose region receives the record (one topic per
   * region). Without it the recipient has one topic. */
  routeBy?: string;
  fields: Record<string, Transform>;
}

export interface Acceptance {
  legalBasis: string;
  purposes: string[];
  description?: string;
}

export interface SpecialCategoryRule {
  field: string;
  /** The exception of AVG art. 9(2) (and the national provision) that makes processing lawful. */
  ground: string;
  when: Condition;
}

/** What happens to a record whose free text holds a BSN, or its subject's name or date of birth, where a recipient
 * not granted that identifier would read it: refused (the default), or replaced by a marker in that view. */
export type IdentifiersInText = 'refuse' | 'redact';

export interface KindPolicy {
  /** URI of this processing activity in the register of processing activities. */
  processingActivity: string;
  /** Days after acceptance after which the record's personal data are removed. */
  retentionDays: number;
  accepts: Acceptance[];
  specialCategories?: SpecialCategoryRule[];
  /** Absent: refuse. */
  identifiersInText?: IdentifiersInText;
  recipients: Record<string, Grant>;
}

export interface ActivitySpec {
  processingActivity: string;
  legalBasis: string;
  purpose: string;
}

export interface ExchangePolicy {
  version: string;
  description?: string;
  recipients: Record<string, RecipientSpec>;
  processingActivities: {
    subjectAccess: ActivitySpec;
    knownPersonLookup: ActivitySpec;
    retention: ActivitySpec & { lookupRetentionDays: number };
  };
  kinds: Record<string, KindPolicy>;
}

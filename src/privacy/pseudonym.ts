// Keyed pseudonyms of a BSN: HMAC-SHA256 with a secret only the bridge holds. A plain hash of a 9-digit number
// is reversed by brute force in seconds; an HMAC is not without the key. The domain separates pseudonyms meant
// for different uses, so one recipient's pseudonyms cannot be joined with another's.
//
// Rotation: new pseudonyms are made with the current key; earlier keys are held only so that what was stored
// under them (records, processing log) can still be found for a person.
import { createHmac } from 'node:crypto';

export interface PseudonymKey {
  id: string;
  secret: string;
}

export interface Pseudonymiser {
  readonly keyId: string;
  /** Stable pseudonym of a BSN within a domain, under the current key: `<keyId>.<base64url of 16 bytes>`. */
  pseudonym(bsn: string, domain: string): string;
  /** The pseudonym under every key held, the current one first: to find data stored before a rotation. */
  allPseudonyms(bsn: string, domain: string): string[];
}

function mac(key: PseudonymKey, bsn: string, domain: string): string {
  const digest = createHmac('sha256', key.secret).update(domain).update('\u0000').update(bsn).digest();
  return `${key.id}.${digest.subarray(0, 16).toString('base64url')}`;
}

export function createPseudonymiser(secret: string, keyId: string, previous: readonly PseudonymKey[] = []): Pseudonymiser {
  const current = { id: keyId, secret };
  const all = [current, ...previous.filter((k) => k.id !== keyId)];
  return {
    keyId,
    pseudonym: (bsn, domain) => mac(current, bsn, domain),
    allPseudonyms: (bsn, domain) => all.map((k) => mac(k, bsn, domain)),
  };
}

/** Domains used by the bridge itself; recipients' domains are `recipient:<id or shared domain>`. */
export const DOMAIN_INTERNAL = 'bridge:internal'; // correlation inside the bridge's own tables
export const DOMAIN_PROCESSING_LOG = 'bridge:processing-log'; // the data subject in the processing log

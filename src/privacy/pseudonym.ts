// Keyed pseudonyms of a BSN: HMAC-SHA256 with a secret only the bridge holds. A plain hash of a 9-digit number
// is reversed by brute force in seconds; an HMAC is not without the key. The domain separates pseudonyms meant
// for different uses, so one recipient's pseudonyms cannot be joined with another's.
import { createHmac } from 'node:crypto';

export interface Pseudonymiser {
  readonly keyId: string;
  /** Stable pseudonym of a BSN within a domain: `<keyId>.<base64url of 16 bytes>`. */
  pseudonym(bsn: string, domain: string): string;
}

export function createPseudonymiser(secret: string, keyId: string): Pseudonymiser {
  return {
    keyId,
    pseudonym(bsn, domain) {
      const mac = createHmac('sha256', secret).update(domain).update('\u0000').update(bsn).digest();
      return `${keyId}.${mac.subarray(0, 16).toString('base64url')}`;
    },
  };
}

/** Domains used by the bridge itself. */
export const DOMAIN_INTERNAL = 'bridge:internal'; // correlation inside the bridge's own tables
export const DOMAIN_KAFKA_KEY = 'bridge:kafka-key'; // message keys: partitioning and per-subject order

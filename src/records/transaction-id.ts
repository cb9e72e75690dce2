// The FSC transaction id (FSC Logging; the Digikoppeling REST API profile asks a UUID version 7): one id for one
// transaction between organisations, in the `Fsc-Transaction-Id` header, in every processing-log entry the
// transaction causes and on every message it sends on (decision 0109).
import { randomBytes } from 'node:crypto';

/** A UUID whose version nibble is 7 and whose variant is RFC 9562's (10xx), in any letter case. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuidV7(value: string): boolean {
  return UUID_V7.test(value);
}

/** The id as the bridge stores and sends it: lower case (RFC 9562 reads UUIDs case-insensitively). */
export function normaliseTransactionId(value: string): string {
  return value.toLowerCase();
}

/** A new UUIDv7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, the version, then random bits and the
 * variant. Node 24 makes version 4 only. */
export function newTransactionId(now: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The id a message from another system carries, when it is a UUIDv7; otherwise a new one. */
export function transactionIdFrom(given: string | undefined): string {
  return given !== undefined && isUuidV7(given) ? normaliseTransactionId(given) : newTransactionId();
}

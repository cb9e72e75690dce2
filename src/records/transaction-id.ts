// The FSC transaction id (FSC Logging; the Digikoppeling REST API profile asks a UUID version 7): one id for one
// transaction between organisations, in the `Fsc-Transaction-Id` header, in every processing-log entry the
// transaction causes and on every message it sends on (decision 0109).
import { randomUUID } from 'node:crypto';

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
 * variant. Node 24 makes version 4 only: a v4's random bits and variant are in the places v7 wants them, so its
 * first 48 bits become the time and its version digit a 7. randomUUID draws its randomness in bulk; a
 * randomBytes call per id would be a system call on every request. */
export function newTransactionId(now: number = Date.now()): string {
  // In two 24-bit halves: a small integer's toString(16) is several times faster than a 48-bit double's.
  const high = Math.floor(now / 0x1000000);
  const time = high.toString(16).padStart(6, '0') + (now - high * 0x1000000).toString(16).padStart(6, '0');
  // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: from index 15 on, the 12 random bits after the version, then the rest.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/** The id a message from another system carries, when it is a UUIDv7; otherwise a new one. */
export function transactionIdFrom(given: string | undefined): string {
  return given !== undefined && isUuidV7(given) ? normaliseTransactionId(given) : newTransactionId();
}

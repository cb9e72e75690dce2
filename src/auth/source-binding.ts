// Source binding: a client submits only in the name of its own organisation. A Veiligheidshuis's GCOS may send
// advice issued by that Veiligheidshuis, never by another one.
import { BridgeError } from '../errors.ts';

/** The part of an authenticated client the check needs (`request.client` fits). */
export interface Submitter {
  id: string;
  organisation: { oin: string };
}

/**
 * Throws 403 BRIDGE_SOURCE_MISMATCH when the record names another issuing organisation than the submitter's own.
 * Runs before validation, on the body as sent: `readSource` may find no source in a malformed body (then the
 * schema check refuses it), but a body that names another organisation is refused as such, with no validation
 * feedback about a record the client may not send at all.
 */
export function assertSubmitterIsSource(kind: string, readSource: () => unknown, submitter: Submitter): void {
  let source: unknown;
  try {
    source = readSource();
  } catch {
    return; // no source to read: the schema check answers
  }
  if (typeof source !== 'string' || source === submitter.organisation.oin) return;
  // Organisation numbers only (they identify organisations, not persons); anything else the caller wrote in the
  // field stays out of the message, which also goes to the log.
  const named = /^[0-9]{20}$/.test(source) ? source : 'another organisation';
  throw new BridgeError(
    'BRIDGE_SOURCE_MISMATCH',
    `Client ${submitter.id} submits for organisation ${submitter.organisation.oin}; this ${kind} names ${named} as its issuer`,
  );
}

// Who is calling: a bearer token (Authorization header) or a client certificate (mutual TLS, PKIoverheid style:
// the organisation's OIN in the subject's serialNumber). Credentials that are present but wrong are refused
// outright; no credentials at all is for the caller to judge (public routes need none).
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { BridgeError } from '../errors.ts';
import { asClient, type Client, type DeclaredClient } from './clients.ts';
import { TokenVerifier } from './tokens.ts';

export const REALM = 'gcos-zsm-bridge';

/** 401 with the RFC 6750 challenge; `invalid` when credentials were sent but are wrong. */
export function unauthenticated(detail: string, invalid: boolean): BridgeError {
  const challenge = invalid ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`;
  return new BridgeError('BRIDGE_UNAUTHENTICATED', detail, { headers: { 'www-authenticate': challenge } });
}

export interface Authenticator {
  /** The client, or undefined when the request carries no credentials at all. Throws 401 for wrong credentials. */
  authenticate(headers: IncomingHttpHeaders, socket: Socket): Promise<Client | undefined>;
}

function peerCertificate(socket: Socket): { cert: PeerCertificate; authorized: boolean; error: string | undefined } | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function') return undefined;
  const cert = tls.getPeerCertificate();
  // Node returns an empty object when the client sent no certificate.
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const error = tls.authorizationError;
  return { cert, authorized: tls.authorized === true, error: error === undefined || error === null ? undefined : String(error) };
}

/** Why the certificate check against TLS_CA failed, in words a caller can act on (OpenSSL's codes, via Node). */
function untrusted(error: string | undefined): string {
  if (error === 'CERT_HAS_EXPIRED') return 'The client certificate has expired';
  if (error === 'CERT_NOT_YET_VALID') return 'The client certificate is not valid yet';
  return 'The client certificate is not issued by a trusted authority';
}

export function createAuthenticator(clients: readonly DeclaredClient[]): Authenticator {
  const byKeyId = new Map<string, DeclaredClient>();
  // A certificate's OIN, the organisation's own or a declared sub-OIN, to its client: clients.ts lets no OIN name two.
  const bySerial = new Map<string, DeclaredClient>();
  for (const c of clients) {
    for (const t of c.tokens) byKeyId.set(t.keyId, c);
    for (const oin of c.certificate ? [c.certificate.serialNumber, ...(c.certificate.subOins ?? [])] : []) bySerial.set(oin, c);
  }
  const verifier = new TokenVerifier(clients.flatMap((c) => c.tokens));

  async function byToken(header: string | undefined): Promise<DeclaredClient | undefined> {
    if (header === undefined) return undefined;
    // The scheme is case-insensitive (RFC 9110); the token is compared exactly.
    const m = /^Bearer ([\x21-\x7e]+)$/i.exec(header);
    if (!m) throw unauthenticated('The Authorization header must be "Bearer <token>"', true);
    const keyId = await verifier.verify(m[1]!);
    const client = keyId === undefined ? undefined : byKeyId.get(keyId);
    if (!client) throw unauthenticated('The bearer token is not valid', true);
    return client;
  }

  function byCertificate(socket: Socket): DeclaredClient | undefined {
    const peer = peerCertificate(socket);
    if (!peer) return undefined;
    if (!peer.authorized) throw unauthenticated(untrusted(peer.error), true);
    const serial = peer.cert.subject?.serialNumber;
    // Two serialNumber attributes arrive as an array: which OIN would it be? Refused like none.
    if (typeof serial !== 'string') throw unauthenticated('The client certificate carries no OIN: its subject has no serialNumber (PKIoverheid)', true);
    const client = bySerial.get(serial);
    const cn = peer.cert.subject?.CN;
    if (!client || (client.certificate?.commonName !== undefined && client.certificate.commonName !== cn)) {
      throw unauthenticated('The client certificate does not belong to a known client', true);
    }
    return client;
  }

  return {
    async authenticate(headers, socket) {
      const fromCert = byCertificate(socket);
      const fromToken = await byToken(headers.authorization);
      if (fromCert && fromToken && fromCert !== fromToken) throw unauthenticated('The certificate and the token name different clients', true);
      if (fromCert) return asClient(fromCert, 'certificate');
      if (fromToken) return asClient(fromToken, 'token');
      return undefined;
    },
  };
}

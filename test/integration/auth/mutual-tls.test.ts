// Mutual TLS as Digikoppeling does it: the bridge serves HTTPS, asks for a client certificate, checks it against
// TLS_CA, and maps the subject's serialNumber (the organisation's OIN, as in PKIoverheid, or a declared sub-OIN)
// to a client. TLS 1.2 or later with forward-secret suites only (Digikoppeling REST API profile, FSC).
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { GCOS_OIN } from '../../support/clients.ts';
import { TestPki, type Pem } from '../../support/certificates.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';

let pki: TestPki;
let bridge: TestBridge;
let port: number;
let ca: Pem;
const certs: Record<string, Pem> = {};
let opsToken: string;
// A sub-OIN of the Veiligheidshuis's organisation (a team of its own with its own PKIoverheid certificate).
const SUB_OIN = '00000004123456789001';

beforeAll(async () => {
  pki = new TestPki();
  ca = pki.authority('test-ca');
  pki.authority('rogue-ca');
  // RSA, so that a client could ask for RSA key exchange: the suite test shows the bridge refuses it.
  const server = pki.issue('test-ca', 'server', '/CN=localhost', 'serverAuth', { rsa: true });
  certs['known'] = pki.issue('test-ca', 'known', `/C=NL/O=ZVH Voorbeeldregio/serialNumber=${GCOS_OIN}/CN=gcos.voorbeeldregio.test`, 'clientAuth');
  certs['unknownOin'] = pki.issue('test-ca', 'unknown-oin', '/C=NL/O=Somebody/serialNumber=00000009999999998000/CN=somebody.test', 'clientAuth');
  certs['rogue'] = pki.issue('rogue-ca', 'rogue', `/C=NL/O=Impostor/serialNumber=${GCOS_OIN}/CN=gcos.voorbeeldregio.test`, 'clientAuth');
  certs['expired'] = pki.issue('test-ca', 'expired', `/C=NL/O=ZVH Voorbeeldregio/serialNumber=${GCOS_OIN}/CN=gcos.voorbeeldregio.test`, 'clientAuth', {
    expired: true,
  });
  certs['noSerial'] = pki.issue('test-ca', 'no-serial', '/C=NL/O=ZVH Voorbeeldregio/CN=gcos.voorbeeldregio.test', 'clientAuth');
  certs['subOin'] = pki.issue(
    'test-ca',
    'sub-oin',
    `/C=NL/O=ZVH Voorbeeldregio/OU=Team Noord/serialNumber=${SUB_OIN}/CN=noord.voorbeeldregio.test`,
    'clientAuth',
  );
  const ops = await createToken();
  opsToken = ops.token;
  const clientsFile = join(pki.dir, 'clients.json');
  writeFileSync(
    clientsFile,
    JSON.stringify({
      clients: [
        {
          id: 'gcos-by-certificate',
          organisation: { oin: GCOS_OIN },
          roles: ['submit-advice'],
          certificate: { serialNumber: GCOS_OIN, subOins: [SUB_OIN] },
        },
        { id: 'ops-by-token', organisation: { oin: '00000009999999999000' }, roles: ['ops'], tokens: [ops.hashLine] },
      ],
    }),
  );
  bridge = await startBridge({ relay: false, env: { CLIENTS_FILE: clientsFile, TLS_CERT: server.certFile, TLS_KEY: server.keyFile, TLS_CA: ca.certFile } });
  await bridge.app.listen({ host: '127.0.0.1', port: 0 });
  port = (bridge.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await bridge?.close();
  pki?.remove();
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

function call(method: string, path: string, opts: { client?: Pem; body?: unknown; token?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        servername: 'localhost',
        ca: ca.cert,
        ...(opts.client ? { cert: opts.client.cert, key: opts.client.key } : {}),
        headers: { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body ? JSON.stringify(opts.body) : undefined);
  });
}

describe('mutual TLS', () => {
  it('takes an advice from a client whose certificate carries its OIN', async () => {
    const res = await call('POST', '/v1/advices', { client: certs['known'], body: validAdvice({ adviceId: 'MTLS-1', bsn: syntheticBsn(60) }) });
    expect(res.status, res.body).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ source: GCOS_OIN });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(bridge.logs.entries().some((e) => e['event'] === 'request-refused')).toBe(false);
  });

  it('refuses a certificate from an authority it does not trust, even with a known OIN', async () => {
    const res = await call('POST', '/v1/advices', { client: certs['rogue'], body: validAdvice({ adviceId: 'MTLS-2', bsn: syntheticBsn(61) }) });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'BRIDGE_UNAUTHENTICATED' });
  });

  it('refuses an expired certificate from the trusted authority, saying so', async () => {
    const res = await call('POST', '/v1/advices', { client: certs['expired'], body: validAdvice({ adviceId: 'MTLS-3', bsn: syntheticBsn(62) }) });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'BRIDGE_UNAUTHENTICATED', detail: 'The client certificate has expired' });
  });

  it('refuses a trusted certificate without a serialNumber: it names no organisation', async () => {
    const res = await call('POST', '/v1/advices', { client: certs['noSerial'], body: validAdvice({ adviceId: 'MTLS-4', bsn: syntheticBsn(63) }) });
    expect(res.status).toBe(401);
    expect((JSON.parse(res.body) as { detail: string }).detail).toMatch(/no serialNumber/);
  });

  it("takes a certificate with a sub-OIN the client declares, in the name of the client's organisation", async () => {
    const res = await call('POST', '/v1/advices', { client: certs['subOin'], body: validAdvice({ adviceId: 'MTLS-5', bsn: syntheticBsn(64) }) });
    expect(res.status, res.body).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ source: GCOS_OIN });
  });

  it('refuses a trusted certificate whose OIN belongs to no client', async () => {
    const res = await call('GET', '/v1/records/00000000-0000-4000-8000-000000000000', { client: certs['unknownOin'] });
    expect(res.status).toBe(401);
  });

  it('still takes bearer tokens over HTTPS, and refuses a request with neither', async () => {
    expect((await call('GET', '/metrics', { token: opsToken })).status).toBe(200);
    expect((await call('GET', '/metrics')).status).toBe(401);
    expect((await call('GET', '/health/live')).status).toBe(200);
  });

  it('refuses a certificate and a token that name different clients', async () => {
    expect((await call('GET', '/metrics', { client: certs['known'], token: opsToken })).status).toBe(401);
  });

  it('applies roles to certificate clients too', async () => {
    const res = await call('GET', '/metrics', { client: certs['known'] });
    expect(res.status).toBe(403);
    const entry = bridge.logs.entries().find((e) => e['event'] === 'request-refused' && e['code'] === 'BRIDGE_FORBIDDEN');
    expect(entry).toMatchObject({ actor: 'client:gcos-by-certificate', via: 'certificate' });
  });
});

/** A bare TLS handshake with the bridge, with the known client's certificate: the negotiated protocol and suite, or
 * the error that ended it. */
function handshake(opts: ConnectionOptions): Promise<{ protocol: string | null; cipher: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', ca: ca.cert, cert: certs['known']!.cert, key: certs['known']!.key, ...opts },
      () => {
        resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().standardName });
        socket.end();
      },
    );
    socket.on('error', (err: Error & { code?: string }) => resolve({ error: err.code ?? err.message }));
  });
}

describe('TLS versions and suites', () => {
  it('negotiates TLS 1.3 by default', async () => {
    expect(await handshake({})).toMatchObject({ protocol: 'TLSv1.3' });
  });

  it("negotiates TLS 1.2 with an ECDHE suite, the server's choice of the ones the client offers", async () => {
    // The client prefers a CBC suite that the bridge does not offer, then two it does: the bridge picks by its own order.
    const offered = 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384';
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: offered })).toEqual({
      protocol: 'TLSv1.2',
      cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    });
  });

  it('refuses a client that offers only suites without forward secrecy (RSA key exchange) or without AEAD', async () => {
    // The same client with a forward-secret AEAD suite gets through: the refusal is the suite's, not the client's.
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })).toMatchObject({ protocol: 'TLSv1.2' });
    // Node's default list takes each of these (its HIGH set): the bridge's own list is what refuses them.
    for (const weak of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA']) {
      const answer = await handshake({ maxVersion: 'TLSv1.2', ciphers: weak });
      expect(answer, weak).toEqual({ error: expect.stringMatching(/ALERT_HANDSHAKE_FAILURE$/) });
    }
  });

  it('refuses TLS 1.1', async () => {
    // SECLEVEL=0 lets this client's OpenSSL speak TLS 1.1 at all, so the refusal is the bridge's.
    const old = { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT@SECLEVEL=0' };
    expect(await handshake({ ...old, maxVersion: 'TLSv1.2' })).toMatchObject({ protocol: 'TLSv1.2' });
    const refused = await handshake({ ...old, maxVersion: 'TLSv1.1' });
    expect(refused).toHaveProperty('error');
    expect((refused as { error: string }).error).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/);
  });
});

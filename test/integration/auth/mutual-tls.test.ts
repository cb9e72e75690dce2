// Mutual TLS as Digikoppeling does it: the bridge serves HTTPS, asks for a client certificate, checks it against
// TLS_CA, and maps the subject's serialNumber (the organisation's OIN, as in PKIoverheid) to a client.
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
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

beforeAll(async () => {
  pki = new TestPki();
  ca = pki.authority('test-ca');
  pki.authority('rogue-ca');
  const server = pki.issue('test-ca', 'server', '/CN=localhost', 'serverAuth');
  certs['known'] = pki.issue('test-ca', 'known', `/C=NL/O=ZVH Voorbeeldregio/serialNumber=${GCOS_OIN}/CN=gcos.voorbeeldregio.test`, 'clientAuth');
  certs['unknownOin'] = pki.issue('test-ca', 'unknown-oin', '/C=NL/O=Somebody/serialNumber=00000009999999998000/CN=somebody.test', 'clientAuth');
  certs['rogue'] = pki.issue('rogue-ca', 'rogue', `/C=NL/O=Impostor/serialNumber=${GCOS_OIN}/CN=gcos.voorbeeldregio.test`, 'clientAuth');
  const ops = await createToken();
  opsToken = ops.token;
  const clientsFile = join(pki.dir, 'clients.json');
  writeFileSync(
    clientsFile,
    JSON.stringify({
      clients: [
        { id: 'gcos-by-certificate', organisation: { oin: GCOS_OIN }, roles: ['submit-advice'], certificate: { serialNumber: GCOS_OIN } },
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

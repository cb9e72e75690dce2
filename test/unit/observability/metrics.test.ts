// The certificate expiry gauge: present with the bridge's own TLS certificate, absent without one.
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateNotAfterSeconds, createMetrics } from '../../../src/observability/metrics.ts';
import { TestPki } from '../../support/certificates.ts';

const pki = new TestPki();
afterAll(() => pki.remove());

const NAME = 'bridge_tls_certificate_expiry_timestamp_seconds';

describe('bridge_tls_certificate_expiry_timestamp_seconds', () => {
  it("holds the server certificate's notAfter in Unix seconds", async () => {
    pki.authority('ca');
    const server = pki.issue('ca', 'server', '/CN=localhost', 'serverAuth');
    const expected = Math.floor(new X509Certificate(server.cert).validToDate.getTime() / 1000);
    // The test PKI's certificates are valid for a day.
    expect(expected - Date.now() / 1000).toBeGreaterThan(3_600);
    expect(certificateNotAfterSeconds(server.cert)).toBe(expected);
    const metrics = createMetrics({ tlsCertificate: server.cert });
    const text = await metrics.registry.metrics();
    expect(text).toContain(`${NAME} ${expected}`);
  });

  it('is absent without TLS, and with a certificate that cannot be read', async () => {
    expect(await createMetrics().registry.metrics()).not.toContain(NAME);
    expect(certificateNotAfterSeconds(Buffer.from('not a certificate'))).toBeUndefined();
    expect(await createMetrics({ tlsCertificate: Buffer.from('x') }).registry.metrics()).not.toContain(NAME);
  });
});

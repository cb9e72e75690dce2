// Throwaway PKI for the mutual TLS tests, made with openssl at run time in a temporary folder and removed after:
// no certificate or key is ever committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  keyFile: string;
}

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'bridge-pki-'));

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  private pem(name: string): Pem {
    const certFile = join(this.dir, `${name}.crt`);
    const keyFile = join(this.dir, `${name}.key`);
    return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile, keyFile };
  }

  /** A self-signed certificate authority. */
  authority(name: string): Pem {
    this.openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    return this.pem(name);
  }

  /** A certificate issued by `ca`: `subject` like "/C=NL/O=Org/serialNumber=<OIN>/CN=name". `expired`: its
   * notAfter lies a day before its notBefore (now), so it is past its validity from the start. `rsa`: an RSA key
   * (as most PKIoverheid certificates have) instead of P-256, so that suites with RSA key exchange are possible. */
  issue(ca: string, name: string, subject: string, use: 'serverAuth' | 'clientAuth', opts: { expired?: boolean; rsa?: boolean } = {}): Pem {
    const ext = join(this.dir, `${name}.ext`);
    writeFileSync(ext, `extendedKeyUsage=${use}\n${use === 'serverAuth' ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' : ''}`);
    const key = opts.rsa ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    this.openssl('req', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    this.openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      opts.expired ? '-1' : '1',
      '-out',
      `${name}.crt`,
      '-extfile',
      ext,
    );
    return this.pem(name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

import { describe, expect, it } from 'vitest';
import { allowedNetworks, checkTarget, urlProblem, type Resolver } from '../../../src/webhook/address-guard.ts';

const none = allowedNetworks([]);
const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook address guard', () => {
  it('takes https, and plain http only to a loopback the URL names', () => {
    expect(urlProblem('https://hooks.example.org/x')).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:8080/x')).toBeUndefined();
    expect(urlProblem('http://localhost/x')).toBeUndefined();
    expect(urlProblem('http://[::1]/x')).toBeUndefined();
    expect(urlProblem('http://hooks.example.org/x')).toMatch(/https/);
    expect(urlProblem('ftp://hooks.example.org/x')).toMatch(/https/);
    expect(urlProblem('https://user:pw@hooks.example.org/x')).toMatch(/credentials/);
    expect(urlProblem('not a url')).toMatch(/absolute URL/);
  });

  it('refuses private, link-local, unspecified, multicast and mapped addresses, whether literal or resolved', async () => {
    for (const address of ['10.0.0.1', '172.16.5.5', '192.168.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', 'fd12::1', 'fe80::1', '::', '::ffff:10.0.0.1']) {
      await expect(checkTarget('https://hooks.example.org/x', none, resolvesTo(address)), address).rejects.toThrow(/private, link-local or reserved/);
    }
    await expect(checkTarget('https://10.0.0.1/x', none)).rejects.toThrow(/private/);
    // One bad address among good ones is enough to refuse: the connection could go to either.
    await expect(checkTarget('https://hooks.example.org/x', none, resolvesTo('93.184.215.14', '10.0.0.1'))).rejects.toThrow(/private/);
  });

  it('refuses loopback behind a name that does not say loopback, and allows a configured network', async () => {
    await expect(checkTarget('https://hooks.example.org/x', none, resolvesTo('127.0.0.1'))).rejects.toThrow(/loopback/);
    const allowed = allowedNetworks(['10.20.0.0/16']);
    await expect(checkTarget('https://hooks.internal/x', allowed, resolvesTo('10.20.3.4'))).resolves.toMatchObject({ address: '10.20.3.4', family: 4 });
    await expect(checkTarget('https://hooks.internal/x', allowed, resolvesTo('10.21.3.4'))).rejects.toThrow(/private/);
    await expect(checkTarget('https://hooks.example.org/x', none, resolvesTo('93.184.215.14'))).resolves.toMatchObject({ address: '93.184.215.14' });
    await expect(checkTarget('http://127.0.0.1:9/x', none)).resolves.toMatchObject({ address: '127.0.0.1' });
  });
});

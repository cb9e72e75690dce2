import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseClients } from '../../../src/auth/clients.ts';
import { TokenVerifier } from '../../../src/auth/tokens.ts';
import { run } from '../../../src/cli/client-token-command.ts';

const OIN = '00000001823288444000';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('gcos-zsm-bridge client-token', () => {
  it('prints a new token once and the hash line to declare', async () => {
    const io = capture();
    expect(await run(['gcos-a'])).toBe(0);
    const token = io.out.join('').trim();
    expect(token).toMatch(/^gzb_/);
    const line = /scrypt\$\S+/.exec(io.err.join(''))![0];
    expect(io.err.join('')).not.toContain(token);
    expect(
      await new TokenVerifier(
        parseClients(JSON.stringify({ clients: [{ id: 'gcos-a', organisation: { oin: OIN }, roles: ['ops'], tokens: [line] }] }), 'json').clients[0]!.tokens,
      ).verify(token),
    ).toBeDefined();
  });

  it('adds a client to a JSON file, then a second token to it; keeps YAML comments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-'));
    const file = join(dir, 'clients.json');
    const io = capture();
    expect(await run(['gcos-a', '--file', file])).toBe(1); // a new client needs --oin and --roles
    expect(await run(['gcos-a', '--file', file, '--oin', OIN, '--roles', 'submit-advice'])).toBe(0);
    expect(await run(['gcos-a', '--file', file])).toBe(0);
    const { clients, problems } = parseClients(readFileSync(file, 'utf8'), 'json');
    expect(problems).toEqual([]);
    expect(clients[0]!.tokens).toHaveLength(2);
    const [first, second] = io.out.map((s) => s.trim());
    const verifier = new TokenVerifier(clients[0]!.tokens);
    expect(await verifier.verify(first!)).toBeDefined();
    expect(await verifier.verify(second!)).toBeDefined();

    const yaml = join(dir, 'clients.yaml');
    writeFileSync(yaml, '# who may call the bridge\nclients: []\n');
    expect(await run(['ops', '--file', yaml, '--oin', OIN, '--roles', 'ops,privacy-officer'])).toBe(0);
    expect(readFileSync(yaml, 'utf8')).toContain('# who may call the bridge');
    expect(parseClients(readFileSync(yaml, 'utf8'), 'yaml').clients[0]!.roles).toEqual(['ops', 'privacy-officer']);
    expect(await run(['x', '--file', yaml, '--oin', OIN, '--roles', 'admin'])).toBe(1); // would not load
    expect(await run([])).toBe(2);
  });
});

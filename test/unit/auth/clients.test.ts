import { describe, expect, it } from 'vitest';
import { asClient, parseClients } from '../../../src/auth/clients.ts';
import { createToken } from '../../../src/auth/tokens.ts';

const OIN = '00000001823288444000';

describe('the clients file', () => {
  it('reads clients from JSON and YAML, with token hashes and a certificate', async () => {
    const { hashLine } = await createToken();
    const json = JSON.stringify({
      clients: [{ id: 'gcos-a', organisation: { oin: OIN, name: 'ZVH A' }, roles: ['submit-advice'], tokens: [hashLine], rateLimitPerMinute: 60 }],
    });
    const fromJson = parseClients(json, 'json');
    expect(fromJson.problems).toEqual([]);
    expect(fromJson.clients[0]).toMatchObject({ id: 'gcos-a', roles: ['submit-advice'], rateLimitPerMinute: 60 });
    expect(fromJson.clients[0]!.tokens).toHaveLength(1);
    const yaml = `# comment\nclients:\n  - id: ops\n    organisation: { oin: "${OIN}" }\n    roles: [ops]\n    certificate: { serialNumber: "${OIN}", commonName: ops.example }\n`;
    const fromYaml = parseClients(yaml, 'yaml');
    expect(fromYaml.problems).toEqual([]);
    expect(asClient(fromYaml.clients[0]!, 'certificate')).toEqual({
      id: 'ops',
      organisation: { oin: OIN, urn: `urn:nld:oin:${OIN}`, name: 'ops' },
      roles: ['ops'],
      recipients: [],
      authenticatedBy: 'certificate',
    });
  });

  it('binds a receiver to the recipients it names, and checks their names', () => {
    const doc = (recipients: unknown) =>
      JSON.stringify({ clients: [{ id: 'om', organisation: { oin: OIN }, roles: ['receiver'], certificate: { serialNumber: OIN }, recipients }] });
    const ok = parseClients(doc(['om-zsm']), 'json');
    expect(ok.problems).toEqual([]);
    expect(asClient(ok.clients[0]!, 'certificate').recipients).toEqual(['om-zsm']);
    expect(parseClients(doc(['OM ZSM']), 'json').problems.join('\n')).toContain('recipients/0');
    expect(parseClients(doc(['om-zsm', 'om-zsm']), 'json').problems).not.toEqual([]);
  });

  it('names every problem at once, without echoing a hash', async () => {
    const { hashLine } = await createToken();
    const doc = {
      clients: [
        { id: 'a', organisation: { oin: OIN }, roles: ['submit-advice'], tokens: [hashLine] },
        { id: 'a', organisation: { oin: OIN }, roles: ['ops'], tokens: [hashLine], certificate: { serialNumber: OIN } },
        { id: 'b', organisation: { oin: OIN }, roles: ['ops'], tokens: ['not-a-hash-line'], certificate: { serialNumber: OIN } },
        { id: 'c', organisation: { oin: OIN }, roles: ['ops'] },
      ],
    };
    const { problems } = parseClients(JSON.stringify(doc), 'json');
    const text = problems.join('\n');
    expect(text).toContain('the id is used twice');
    expect(text).toContain('the key id is used twice');
    expect(text).toContain('not a hash line');
    expect(text).toContain('belongs to another client too');
    expect(text).toContain('has neither tokens nor a certificate');
    expect(text).not.toContain(hashLine.split('$')[6]!);
  });

  it('refuses unknown roles and fields, malformed OINs and unreadable text', () => {
    const bad = { clients: [{ id: 'Bad Id', organisation: { oin: '123' }, roles: ['admin'], extra: true }] };
    const { problems } = parseClients(JSON.stringify(bad), 'json');
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(parseClients('{', 'json').problems).toEqual(['CLIENTS_FILE is not valid JSON']);
    expect(parseClients('clients: [', 'yaml').problems).toEqual(['CLIENTS_FILE is not valid YAML']);
  });
});

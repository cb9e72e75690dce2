// `gcos-zsm-bridge client-token <client-id> [--file clients.json] [--oin OIN --roles a,b [--name NAME]]`
// Makes a bearer token for a client. The token goes to stdout, once: it is kept nowhere. The hash line goes to
// the clients file (--file; a new client needs --oin and --roles) or, without --file, to stderr for an operator
// to add to the client's `tokens` list.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { parseClients } from '../auth/clients.ts';
import { createToken } from '../auth/tokens.ts';

interface ClientEntry {
  id: string;
  organisation?: { oin: string; name?: string };
  roles?: string[];
  tokens?: string[];
}

function addTo(
  doc: { clients: ClientEntry[] },
  id: string,
  hashLine: string,
  create: { oin?: string | undefined; name?: string | undefined; roles?: string | undefined },
): string | undefined {
  const existing = doc.clients.find((c) => c.id === id);
  if (existing) {
    existing.tokens = [...(existing.tokens ?? []), hashLine];
    return undefined;
  }
  if (!create.oin || !create.roles) return `client ${id} is not in the file: give --oin and --roles to add it`;
  doc.clients.push({
    id,
    organisation: { oin: create.oin, ...(create.name ? { name: create.name } : {}) },
    roles: create.roles.split(','),
    tokens: [hashLine],
  });
  return undefined;
}

function updateFile(path: string, id: string, hashLine: string, create: Parameters<typeof addTo>[3]): string | undefined {
  const yaml = /\.ya?ml$/i.test(path);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : yaml ? 'clients: []\n' : '{ "clients": [] }';
  // YAML keeps its comments through a document edit; JSON has none to keep.
  const document = yaml ? parseDocument(text) : undefined;
  const data = (document ? document.toJS() : JSON.parse(text)) as { clients: ClientEntry[] };
  data.clients ??= [];
  const problem = addTo(data, id, hashLine, create);
  if (problem) return problem;
  let out: string;
  if (document) {
    document.set('clients', document.createNode(data.clients));
    out = document.toString();
  } else {
    out = `${JSON.stringify(data, null, 2)}\n`;
  }
  const check = parseClients(out, yaml ? 'yaml' : 'json');
  if (check.problems.length > 0) return `the file would not load:\n  ${check.problems.join('\n  ')}`;
  writeFileSync(path, out, { mode: 0o600 });
  return undefined;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { file: { type: 'string' }, oin: { type: 'string' }, roles: { type: 'string' }, name: { type: 'string' } },
  });
  const id = positionals[0];
  if (!id || positionals.length > 1) {
    process.stderr.write('usage: gcos-zsm-bridge client-token <client-id> [--file clients.json] [--oin OIN --roles submit-advice,ops [--name NAME]]\n');
    return 2;
  }
  const { token, hashLine } = await createToken();
  if (values.file) {
    const problem = updateFile(values.file, id, hashLine, { oin: values.oin, roles: values.roles, name: values.name });
    if (problem) {
      process.stderr.write(`client-token: ${problem}\n`);
      return 1;
    }
    process.stderr.write(`client-token: added a token hash to client ${id} in ${values.file}; restart the bridge to use it.\n`);
  } else {
    process.stderr.write(`client-token: add this line to the tokens of client ${id} in CLIENTS_FILE:\n  ${hashLine}\n`);
  }
  process.stderr.write('client-token: the token (shown once, stored nowhere; give it to the client as "Authorization: Bearer <token>"):\n');
  process.stdout.write(`${token}\n`);
  return 0;
}

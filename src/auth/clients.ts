// The clients the bridge knows: declared in a file (CLIENTS_FILE, JSON or YAML), checked against one schema at
// start. A client is a system of one organisation, with roles and credentials (token hash lines, a certificate).
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ROLES, type Role } from './roles.ts';
import { parseHashLine, type TokenHash } from './tokens.ts';

/** An authenticated client, as routes and the processing log see it (`request.client`). */
export interface Client {
  /** The id in the clients file; stable, safe to log. */
  id: string;
  organisation: {
    /** OIN, 20 digits: the organisation a client may submit for. */
    oin: string;
    /** `urn:nld:oin:<OIN>`, as in CloudEvents sources. */
    urn: string;
    name: string;
  };
  roles: readonly Role[];
  /** The recipients whose feed this client may read (role `receiver`); empty for every other client. */
  recipients: readonly string[];
  /** How this request proved it: a bearer token or a client certificate (mutual TLS). */
  authenticatedBy: 'token' | 'certificate';
}

/** A client as declared, with its credentials. */
export interface DeclaredClient {
  id: string;
  organisation: { oin: string; name: string };
  roles: Role[];
  tokens: TokenHash[];
  /** Mutual TLS: the subject serialNumber (PKIoverheid: the OIN) and optionally the CN of its certificate. */
  certificate?: { serialNumber: string; commonName?: string };
  /** Requests per minute; overrides RATE_LIMIT_PER_MINUTE for this client. */
  rateLimitPerMinute?: number;
  /** The recipients (exchange policy names) whose feed it may read, with the role `receiver`. */
  recipients?: string[];
}

const OIN = { type: 'string', pattern: '^[0-9]{20}$' };
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['clients'],
  properties: {
    clients: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'organisation', 'roles'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
          organisation: {
            type: 'object',
            additionalProperties: false,
            required: ['oin'],
            properties: { oin: OIN, name: { type: 'string', minLength: 1, maxLength: 200 } },
          },
          roles: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...ROLES] } },
          tokens: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 300 } },
          certificate: {
            type: 'object',
            additionalProperties: false,
            required: ['serialNumber'],
            properties: { serialNumber: OIN, commonName: { type: 'string', minLength: 1, maxLength: 200 } },
          },
          rateLimitPerMinute: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          recipients: { type: 'array', maxItems: 100, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } },
        },
      },
    },
  },
};
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

interface RawClient {
  id: string;
  organisation: { oin: string; name?: string };
  roles: Role[];
  tokens?: string[];
  certificate?: { serialNumber: string; commonName?: string };
  rateLimitPerMinute?: number;
  recipients?: string[];
}

/** Parses and checks a clients document. Problems are returned, all at once, never with a secret in them. */
export function parseClients(text: string, format: 'json' | 'yaml'): { clients: DeclaredClient[]; problems: string[] } {
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch {
    return { clients: [], problems: [`CLIENTS_FILE is not valid ${format.toUpperCase()}`] };
  }
  if (!validate(doc)) {
    return { clients: [], problems: (validate.errors ?? []).map((e) => `CLIENTS_FILE${e.instancePath || ''} ${e.message ?? 'is invalid'}`) };
  }
  const problems: string[] = [];
  const raw = (doc as { clients: RawClient[] }).clients;
  const seen = { ids: new Set<string>(), keyIds: new Set<string>(), certs: new Set<string>() };
  const clients = raw.map((c, i): DeclaredClient => {
    const where = `CLIENTS_FILE/clients/${i} (${c.id})`;
    if (seen.ids.has(c.id)) problems.push(`${where}: the id is used twice`);
    seen.ids.add(c.id);
    const tokens: TokenHash[] = [];
    for (const [j, line] of (c.tokens ?? []).entries()) {
      const parsed = parseHashLine(line);
      if (!parsed) problems.push(`${where}/tokens/${j}: not a hash line from \`gcos-zsm-bridge client-token\` (or its cost is below N=2^14)`);
      else if (seen.keyIds.has(parsed.keyId)) problems.push(`${where}/tokens/${j}: the key id is used twice`);
      else {
        seen.keyIds.add(parsed.keyId);
        tokens.push(parsed);
      }
    }
    if (c.certificate) {
      // One certificate subject, one client: otherwise a certificate could not say which client it is.
      const key = c.certificate.serialNumber;
      if (seen.certs.has(key)) problems.push(`${where}/certificate: serialNumber ${key} belongs to another client too`);
      seen.certs.add(key);
    }
    if (tokens.length === 0 && !c.certificate && !problems.some((p) => p.startsWith(where))) problems.push(`${where}: has neither tokens nor a certificate`);
    return {
      id: c.id,
      organisation: { oin: c.organisation.oin, name: c.organisation.name ?? c.id },
      roles: c.roles,
      tokens,
      ...(c.certificate ? { certificate: c.certificate } : {}),
      ...(c.rateLimitPerMinute ? { rateLimitPerMinute: c.rateLimitPerMinute } : {}),
      ...(c.recipients ? { recipients: c.recipients } : {}),
    };
  });
  return { clients, problems };
}

export function readClientsFile(path: string): { clients: DeclaredClient[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { clients: [], problems: ['CLIENTS_FILE cannot be read'] };
  }
  return parseClients(text, /\.ya?ml$/i.test(path) ? 'yaml' : 'json');
}

export function asClient(d: DeclaredClient, authenticatedBy: Client['authenticatedBy']): Client {
  return {
    id: d.id,
    organisation: { ...d.organisation, urn: `urn:nld:oin:${d.organisation.oin}` },
    roles: d.roles,
    recipients: d.recipients ?? [],
    authenticatedBy,
  };
}

// Webhook subscriptions declared in configuration (WEBHOOK_SUBSCRIPTIONS_FILE, JSON or YAML): each with a fixed
// id, its recipient, URL and event types, and where its secret is (a file or an environment variable: the file
// itself holds no secret). Applied at start by subscriptions.ts's applyDeclaredSubscriptions.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface DeclaredSubscription {
  id: string;
  recipient: string;
  url: string;
  eventTypes: string[];
  secret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/** Reads the file; throws one Error naming every problem (never a secret's value). */
export function readDeclaredSubscriptions(path: string, env: NodeJS.ProcessEnv = process.env): DeclaredSubscription[] {
  const text = readFileSync(path, 'utf8');
  const doc = (/\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)) as { subscriptions?: unknown };
  const problems: string[] = [];
  const out: DeclaredSubscription[] = [];
  const items = Array.isArray(doc?.subscriptions) ? (doc.subscriptions as Record<string, unknown>[]) : [];
  if (!Array.isArray(doc?.subscriptions)) problems.push('the file needs a list `subscriptions`');
  items.forEach((s, i) => {
    const at = `subscriptions[${i}]`;
    const id = typeof s['id'] === 'string' && UUID.test(s['id']) ? s['id'] : (problems.push(`${at}.id must be a lower-case UUID`), '');
    const recipient =
      typeof s['recipient'] === 'string' && /^[a-z0-9-]{1,40}$/.test(s['recipient']) ? s['recipient'] : (problems.push(`${at}.recipient is missing`), '');
    const url = typeof s['url'] === 'string' ? s['url'] : (problems.push(`${at}.url is missing`), '');
    const types = s['eventTypes'] ?? [];
    const eventTypes =
      Array.isArray(types) && types.every((t) => typeof t === 'string') ? types : (problems.push(`${at}.eventTypes must be a list of strings`), []);
    let secret: string | undefined;
    if (typeof s['secretFile'] === 'string') {
      try {
        secret = readFileSync(s['secretFile'], 'utf8').trim();
      } catch {
        problems.push(`${at}.secretFile cannot be read`);
      }
    } else if (typeof s['secretEnv'] === 'string') {
      secret = env[s['secretEnv']];
      if (secret === undefined) problems.push(`${at}.secretEnv names a variable that is not set`);
    } else problems.push(`${at} needs secretFile or secretEnv`);
    if (secret !== undefined && !SECRET.test(secret)) problems.push(`${at}: the secret is not whsec_ and base64 of 24 to 64 bytes`);
    out.push({ id, recipient, url, eventTypes, secret: secret ?? '' });
  });
  if (problems.length > 0) throw new Error(`WEBHOOK_SUBSCRIPTIONS_FILE: ${problems.join('; ')}`);
  return out;
}

// A file of pseudonym keys, for rotation: one `<id>=<secret>` per line, `#` starts a comment. The current key is
// the one PSEUDONYM_KEY_ID names; the others are kept to find what was stored under them.
import type { PseudonymKey } from './pseudonym.ts';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses the file's text; problems name the line, never the secret. */
export function parseKeyFile(text: string): { keys: PseudonymKey[]; problems: string[] } {
  const keys: PseudonymKey[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const id = eq > 0 ? line.slice(0, eq).trim() : '';
    const secret = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (!KEY_ID.test(id)) problems.push(`PSEUDONYM_KEYS_FILE line ${i + 1}: write <id>=<secret> with an id of letters, digits, - or _`);
    else if (secret.length < 32) problems.push(`PSEUDONYM_KEYS_FILE line ${i + 1}: the secret of key ${id} is shorter than 32 characters`);
    else if (keys.some((k) => k.id === id)) problems.push(`PSEUDONYM_KEYS_FILE line ${i + 1}: key ${id} is listed twice`);
    else keys.push({ id, secret });
  });
  return { keys, problems };
}

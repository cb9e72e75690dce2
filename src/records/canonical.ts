// Canonical JSON (keys sorted, no whitespace) and its hash: two bodies with the same content but a different key
// order or spacing are the same record; one changed character is a different one. The bytes are part of stored
// content hashes and processing-log chains, so they must never change: test/unit/records/canonical.test.ts holds
// the first implementation (map and join) as the oracle this one must match.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Concatenation in a loop: the map-and-join form allocated two arrays per object, on every record.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]) ?? ''; // as join() wrote an element without a JSON form: nothing
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(keys[i])}:${canonicalJson(obj[keys[i]!])}`;
  }
  return `${out}}`;
}

export function contentHash(value: unknown): Buffer {
  return createHash('sha256').update(canonicalJson(value)).digest();
}

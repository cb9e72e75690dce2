// A JSON body in UTF-8, for every door (REST, the inbound topic, the offline validator): invalid UTF-8, a
// prototype-pollution key, a member name given twice, an object of absurdly many members and broken JSON each get
// their own code instead of one plain "invalid JSON".
import sjson from 'secure-json-parse';
import { BridgeError, fieldError } from '../errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is empty');
  let text: string;
  try {
    // Invalid UTF-8 is refused rather than silently turned into U+FFFD.
    text = utf8.decode(body);
  } catch {
    throw new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is not valid UTF-8');
  }
  // One pass over the text before it is parsed: an object of more members than any object of the API can have
  // is refused without building it (300,000 unknown keys took 150 ms to parse and more to report), and the first
  // member name given twice is noted, to refuse once the text is known to be JSON at all.
  const scan = scanMembers(text);
  if (scan.crowded !== undefined) {
    throw new BridgeError('BRIDGE_VALIDATION_FAILED', `The request body holds an object of more than ${MAX_MEMBERS_PER_OBJECT} members`, {
      errors: [fieldError('FIELD_TOO_MANY_MEMBERS', scan.crowded, `has more than ${MAX_MEMBERS_PER_OBJECT} members`)],
    });
  }
  let value: unknown;
  try {
    value = sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    if (/forbidden prototype property/i.test((err as Error).message)) throw new BridgeError('BRIDGE_FORBIDDEN_KEY');
    // SyntaxError, or RangeError on absurd nesting: either way not JSON we can take.
    throw new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is not valid JSON');
  }
  if (scan.duplicate !== undefined) {
    // JSON.parse keeps the last of two equal names, a proxy or the sender's own log may read the first: the body
    // means two things, so it is refused (I-JSON, RFC 7493 section 2.3).
    throw new BridgeError('BRIDGE_DUPLICATE_MEMBER', 'The request body gives a member name twice in one object', {
      errors: [fieldError('FIELD_DUPLICATE_MEMBER', scan.duplicate)],
    });
  }
  return value;
}

/** More members than any object of the API has: every object of the contract and of the routes is closed (at
 * most a few dozen members), and a batch is one member holding an array. */
export const MAX_MEMBERS_PER_OBJECT = 1_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** An open object (its member names so far, the current one) or array (the current index). */
interface Container {
  names: Set<string> | undefined;
  name: string;
  index: number;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

export interface MemberScan {
  /** The pointer of the first member whose name its object already holds. */
  duplicate: string | undefined;
  /** The pointer of the first object with more than MAX_MEMBERS_PER_OBJECT members; the scan stops there. */
  crowded: string | undefined;
}

/** One pass over a JSON text, with an explicit stack (no recursion, so no depth limit): the first duplicate
 * member name, compared as JSON.parse decodes names ("a" and "\u0061" are the same name), and the first object
 * of too many members. Runs before the text is known to be JSON: on malformed text it stops at an unterminated
 * string and may report nonsense, which the caller only uses once JSON.parse has taken the text. */
export function scanMembers(text: string, maxMembers: number = MAX_MEMBERS_PER_OBJECT): MemberScan {
  const stack: Container[] = [];
  let top: Container | undefined;
  let expectName = false;
  let duplicate: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // The closing quote: the next one not escaped by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end !== -1) {
        let b = end - 1;
        while (text.charCodeAt(b) === BACKSLASH) b--;
        if ((end - 1 - b) % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) break;
      if (expectName && top?.names) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? decodeName(text.slice(i, end + 1)) : raw;
        if (top.names.has(name)) duplicate ??= pointerOf(stack, name);
        else if (top.names.size >= maxMembers) return { duplicate, crowded: pointerOf(stack) };
        else top.names.add(name);
        top.name = name;
        expectName = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT) {
      top = { names: new Set(), name: '', index: 0 };
      stack.push(top);
      expectName = true;
    } else if (c === OPEN_ARRAY) {
      top = { names: undefined, name: '', index: 0 };
      stack.push(top);
      expectName = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      top = stack[stack.length - 1];
      expectName = false;
    } else if (c === COMMA && top) {
      if (top.names) expectName = true;
      else top.index++;
    }
  }
  return { duplicate, crowded: undefined };
}

/** The first duplicate member name's pointer (for a text JSON.parse takes). */
export function firstDuplicateMember(text: string): string | undefined {
  return scanMembers(text, Infinity).duplicate;
}

function decodeName(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted; // malformed text: JSON.parse will refuse the whole body anyway
  }
}

/** The pointer of the innermost container of `stack`, or of its member `name`. */
function pointerOf(stack: Container[], name?: string): string {
  const parts = stack.slice(0, -1).map((c) => (c.names ? escapePointer(c.name) : String(c.index)));
  if (name !== undefined) parts.push(escapePointer(name));
  return parts.map((p) => `/${p}`).join('');
}

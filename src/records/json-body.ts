// A JSON body in UTF-8, for every door (REST, the inbound topic, the offline validator): invalid UTF-8, a
// prototype-pollution key and broken JSON each get their own code instead of one plain "invalid JSON".
import sjson from 'secure-json-parse';
import { BridgeError } from '../errors.ts';

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
  try {
    return sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    if (/forbidden prototype property/i.test((err as Error).message)) throw new BridgeError('BRIDGE_FORBIDDEN_KEY');
    // SyntaxError, or RangeError on absurd nesting: either way not JSON we can take.
    throw new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is not valid JSON');
  }
}

// The feed's cursor: opaque to clients, a small versioned JSON in base64url. It holds the position (tx, id) in the
// recipient's feed, the recipient it belongs to and when the events after it were last known to be held (`t`):
// a cursor older than the window may point past rows the clean-up removed, and gets 410 instead of a silent gap.
import { BridgeError, fieldError } from '../errors.ts';
import type { FeedPosition } from '../store/feed-repo.ts';

export interface FeedCursor {
  recipient: string;
  position: FeedPosition;
  /** Unix milliseconds: the events after `position` were all held at this time. */
  t: number;
}

/** The position before every event: (tx, id) > (0, 0) holds for every row. */
export const START: FeedPosition = { tx: '0', id: '0' };

const BIGINT = /^(0|[1-9][0-9]{0,19})$/;
const MAX_CURSOR_LENGTH = 512;

export function encodeCursor(c: FeedCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, r: c.recipient, tx: c.position.tx, id: c.position.id, t: c.t })).toString('base64url');
}

/** The cursor of a request, or a 400 naming the parameter: malformed, altered, or another recipient's. */
export function decodeCursor(text: string, recipient: string): FeedCursor {
  const bad = (detail: string) => new BridgeError('BRIDGE_BAD_REQUEST', detail, { errors: [fieldError('FIELD_INVALID', '/querystring/after', detail)] });
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw bad('The cursor is not one this feed gave out');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad('The cursor is not one this feed gave out');
  }
  const o = v as Record<string, unknown> | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    Object.keys(o).length !== 5 ||
    o['v'] !== 1 ||
    typeof o['r'] !== 'string' ||
    typeof o['tx'] !== 'string' ||
    typeof o['id'] !== 'string' ||
    !BIGINT.test(o['tx']) ||
    !BIGINT.test(o['id']) ||
    !Number.isSafeInteger(o['t']) ||
    (o['t'] as number) < 0
  ) {
    throw bad('The cursor is not one this feed gave out');
  }
  if (o['r'] !== recipient) throw bad("The cursor belongs to another recipient's feed");
  return { recipient, position: { tx: o['tx'], id: o['id'] }, t: o['t'] as number };
}

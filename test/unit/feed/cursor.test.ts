// The feed's cursor: what it gives out it takes back; anything else (malformed, altered, another recipient's)
// is a 400 naming the parameter, never a 500.
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/feed/cursor.ts';
import { BridgeError } from '../../../src/errors.ts';
import { feedPageBody } from '../../../src/feed/structured.ts';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('feed cursor', () => {
  it('takes back what it gives out', () => {
    const c = { recipient: 'om-zsm', position: { tx: '18446744073709551615', id: '9223372036854775807' }, t: 1_700_000_000_000 };
    expect(decodeCursor(encodeCursor(c), 'om-zsm')).toEqual(c);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['another version', b64({ v: 2, r: 'om-zsm', tx: '1', id: '1', t: 1 })],
    ['a member more', b64({ v: 1, r: 'om-zsm', tx: '1', id: '1', t: 1, x: 1 })],
    ['a tx that is not a number', b64({ v: 1, r: 'om-zsm', tx: '1 OR 1=1', id: '1', t: 1 })],
    ['a number too long', b64({ v: 1, r: 'om-zsm', tx: '1'.repeat(21), id: '1', t: 1 })],
    ['a negative time', b64({ v: 1, r: 'om-zsm', tx: '1', id: '1', t: -1 })],
    ['another recipient', b64({ v: 1, r: 'reclassering', tx: '1', id: '1', t: 1 })],
    ['too long', 'A'.repeat(600)],
  ])('refuses %s with 400 naming /querystring/after', (_, text) => {
    try {
      decodeCursor(text, 'om-zsm');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BridgeError);
      expect((err as BridgeError).status).toBe(400);
      expect((err as BridgeError).errors?.[0]?.pointer).toBe('/querystring/after');
    }
  });
});

const event = {
  position: { tx: '1', id: '1' },
  eventId: 'e1',
  eventType: 'nl.justitieketen.zsm.advice.accepted',
  recipient: 'om-zsm',
  topic: 't',
  messageKey: 'k1.key',
  headers: {
    ce_specversion: '1.0',
    ce_id: 'e1',
    ce_type: 'nl.justitieketen.zsm.advice.accepted',
    'content-type': 'application/json',
    traceparent: '',
    'x-quarantine-id': 'q',
  },
  payload: '{"a":1}',
  recordId: null,
  createdAt: new Date(0),
};

describe('feed page body', () => {
  it('is the JSON array of the events as structured CloudEvents (as a webhook gets them), the payload as stored, built once per page', () => {
    const second = { ...event, eventId: 'e2', headers: { ...event.headers, ce_id: 'e2' }, payload: '{"b":[1,"x\\u00e9"]}' };
    const page = [event, second];
    const body = feedPageBody(page);
    const structured = (id: string, data: unknown) => ({
      specversion: '1.0',
      id,
      type: 'nl.justitieketen.zsm.advice.accepted',
      datacontenttype: 'application/json',
      partitionkey: 'k1.key',
      data,
    });
    // No empty attribute (traceparent) and no header that is not a CloudEvents attribute (x-quarantine-id).
    expect(JSON.parse(body.toString('utf8'))).toEqual([structured('e1', { a: 1 }), structured('e2', { b: [1, 'x\u00e9'] })]);
    expect(body.toString('utf8')).toContain(',"data":{"b":[1,"x\\u00e9"]}}');
    expect(feedPageBody(page)).toBe(body);
    expect(feedPageBody([...page])).not.toBe(body);
    expect(feedPageBody([]).toString()).toBe('[]');
  });
});

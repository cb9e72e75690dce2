// The header checks of src/http/ambiguity.ts, on their own: which headers may appear once, and which bodies cannot
// be read as UTF-8 JSON as they stand. The requests themselves: test/integration/http/ambiguity.test.ts.
import { describe, expect, it } from 'vitest';
import { repeatedHeader, unreadableBody } from '../../../src/http/ambiguity.ts';

describe('repeated headers', () => {
  it.each([
    [['Authorization', 'Bearer a', 'authorization', 'Bearer a'], 'Authorization'],
    [['content-type', 'application/json', 'Host', 'x', 'CONTENT-TYPE', 'application/json'], 'Content-Type'],
    [['Content-Length', '2', 'Content-Length', '2'], 'Content-Length'],
    [['Content-Encoding', 'identity', 'content-encoding', 'br'], 'Content-Encoding'],
  ])('%j: %s', (raw, name) => expect(repeatedHeader(raw)).toBe(name));

  it('lets other headers repeat (Accept, X-Forwarded-For are lists)', () => {
    expect(repeatedHeader(['Accept', 'a', 'Accept', 'b', 'X-Forwarded-For', '1', 'x-forwarded-for', '2', 'Authorization', 'Bearer a'])).toBeUndefined();
  });
});

describe('bodies that cannot be read as they stand', () => {
  it.each([{ 'content-encoding': 'br' }, { 'content-encoding': 'gzip, identity' }, { 'content-encoding': 'x' }])('%o: 415', (headers) => {
    expect(unreadableBody(headers)?.code).toBe('BRIDGE_UNSUPPORTED_ENCODING');
  });

  it.each([
    'application/json; charset=latin1',
    'application/json;charset="windows-1252"',
    'application/json; charset=utf-8; charset=utf-8',
    'application/json; charset=',
  ])('%s: 415', (type) => expect(unreadableBody({ 'content-type': type })?.code).toBe('BRIDGE_UNSUPPORTED_MEDIA_TYPE'));

  it.each([
    {},
    { 'content-encoding': 'identity' },
    { 'content-encoding': ' Identity ' },
    { 'content-encoding': '' },
    { 'content-type': 'application/json' },
    { 'content-type': 'application/json; Charset="UTF-8"' },
    { 'content-type': 'application/json; charset=utf8' },
  ])('%o: taken', (headers) => expect(unreadableBody(headers)).toBeUndefined());
});

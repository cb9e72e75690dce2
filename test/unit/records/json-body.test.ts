// The JSON body parser every door shares: a member name given twice is refused with its pointer (I-JSON,
// RFC 7493), at any depth and in any spelling JSON.parse would take as the same name, in one pass over the text.
import { readFileSync } from 'node:fs';
import sjson from 'secure-json-parse';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/errors.ts';
import { firstDuplicateMember, MAX_MEMBERS_PER_OBJECT, parseJsonBody, scanMembers } from '../../../src/records/json-body.ts';

const refusal = (text: string) => {
  try {
    parseJsonBody(Buffer.from(text));
  } catch (err) {
    return err as BridgeError;
  }
  return undefined;
};

describe('duplicate member names', () => {
  it.each([
    ['{"a":1,"a":2}', '/a'],
    ['{"a":{"b":1,"c":[1,{"x":1,"x":2}]}}', '/a/c/1/x'],
    ['{"a":1,"\\u0061":2}', '/a'],
    ['[{"k":"a,b{","k2":{}},{"k":1,"k":2}]', '/1/k'],
    ['{"a/b~":{"q":1,"q":1}}', '/a~1b~0/q'],
    ['{"":1,"":2}', '/'],
    ['{"s":"\\"}{\\\\","s":0}', '/s'],
  ])('%s is refused at %s', (text, pointer) => {
    expect(firstDuplicateMember(text)).toBe(pointer);
    const err = refusal(text);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err?.code).toBe('BRIDGE_DUPLICATE_MEMBER');
    expect(err?.status).toBe(400);
    expect(err?.errors).toEqual([expect.objectContaining({ code: 'FIELD_DUPLICATE_MEMBER', pointer })]);
  });

  it.each(['{}', '[]', '"x"', '{"a\\"":1,"b":"\\\\","c":{"a":1},"d":[{"a":1},{"a":2}]}', '{"a":{"a":{"a":1}}}', '{"A":1,"a":2}'])('%s is taken', (text) => {
    expect(firstDuplicateMember(text)).toBeUndefined();
    expect(parseJsonBody(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it('takes deep nesting without recursion', () => {
    const deep = '['.repeat(30_000) + '{"a":1,"a":2}' + ']'.repeat(30_000);
    expect(firstDuplicateMember(deep)).toBe('/0'.repeat(30_000) + '/a');
  });

  it('leaves malformed text to JSON.parse: an unterminated string, a truncated body', () => {
    expect(refusal('{"a":1,"a')?.code).toBe('BRIDGE_MALFORMED_JSON');
    expect(refusal('{"a":1,"a":2')?.code).toBe('BRIDGE_MALFORMED_JSON');
    expect(refusal('{"a\\":1}}}]]')?.code).toBe('BRIDGE_MALFORMED_JSON');
  });

  it('stays linear in the body size: 300,000 names in one object', () => {
    const names = Array.from({ length: 300_000 }, (_, i) => `"k${i}":1`);
    const started = performance.now();
    expect(firstDuplicateMember(`{${names.join(',')}}`)).toBeUndefined();
    expect(firstDuplicateMember(`{${names.join(',')},"k7":2}`)).toBe('/k7');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it(`refuses an object of more than ${MAX_MEMBERS_PER_OBJECT} members before parsing it, naming the object`, () => {
    const members = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(parseJsonBody(Buffer.from(members(MAX_MEMBERS_PER_OBJECT)))).toBeTypeOf('object');
    const err = refusal(`{"a":[0,${members(300_000)}]}`);
    expect(err?.code).toBe('BRIDGE_VALIDATION_FAILED');
    expect(err?.errors).toEqual([expect.objectContaining({ code: 'FIELD_TOO_MANY_MEMBERS', pointer: '/a/1' })]);
    expect(scanMembers(members(MAX_MEMBERS_PER_OBJECT + 1)).crowded).toBe('');
    // Even malformed: the ceiling is what keeps the parse from running.
    expect(refusal(`${members(2_000)}}}`)?.code).toBe('BRIDGE_VALIDATION_FAILED');
  });

  it('costs little on a realistic advice (figure printed, not asserted)', () => {
    const body = readFileSync(new URL('../../../schemas/examples/advice.valid.json', import.meta.url));
    const text = body.toString('utf8');
    const rounds = 20_000;
    const time = (f: () => unknown) => {
      for (let i = 0; i < 2_000; i++) f();
      const t = performance.now();
      for (let i = 0; i < rounds; i++) f();
      return ((performance.now() - t) * 1000) / rounds;
    };
    // What the parse was before the scan (decode and secure-json-parse), the scan alone, and the parse now.
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    const before = time(() => sjson.parse(utf8.decode(body), null, { protoAction: 'error', constructorAction: 'error' }));
    const scan = time(() => firstDuplicateMember(text));
    const now = time(() => parseJsonBody(body));
    process.stdout.write(
      `json-body: advice.valid.json (${body.length} bytes): parse ${before.toFixed(1)} µs before, ${now.toFixed(1)} µs now; the member scan alone ${scan.toFixed(1)} µs\n`,
    );
    expect(scan).toBeGreaterThan(0);
  });
});

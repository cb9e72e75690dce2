// Request bodies for the fuzz campaign: valid advices and mutations of them, records generated from the schema,
// arbitrary JSON, deep and huge JSON, prototype-pollution keys, bad encodings, raw bytes.
import fc from 'fast-check';
import { readSchema } from '../../src/ingest/schemas.ts';
import { GCOS_OIN, OTHER_VH_OIN } from '../support/clients.ts';
import { FIXTURE_PERSONAL_DATA, syntheticBsn, validAdvice, validCaseEvent, ZSM_OIN } from '../support/fixtures.ts';
import { fromSchema } from './schema-arbitrary.ts';

/** Personal data the bodies carry; the campaign checks that none of it reaches a log line. */
export const CANARY_BSNS = Array.from({ length: 8 }, (_, i) => syntheticBsn(200 + i));
export const CANARY_TEXT = [...FIXTURE_PERSONAL_DATA, 'Kanariepiet-Vogelaar'];

export interface Body {
  kind: string;
  payload: string | Buffer | undefined;
}

type Json = Record<string, unknown>;

const bsn = fc.constantFrom(...CANARY_BSNS);
const oin = fc.constantFrom(GCOS_OIN, GCOS_OIN, GCOS_OIN, OTHER_VH_OIN);
const adviceId = fc.stringMatching(/^FZ-[A-Z0-9]{1,6}$/);

const valid = fc.record({ adviceId, version: fc.integer({ min: 1, max: 3 }), bsn, issuerOin: oin }).map((o) => validAdvice(o));

/** Every JSON pointer into a value, as key paths. */
function paths(v: unknown, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  return [prefix, ...Object.entries(v).flatMap(([k, child]) => paths(child, [...prefix, k]))];
}
const advicePaths = paths(validAdvice()).filter((p) => p.length > 0);

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  bsn,
  fc.constantFrom('', ' ', '\u0000', '\ud800', '💥'.repeat(50), 'x'.repeat(3000), -0, 1e308, 2 ** 60, '2026-02-30', '1990-01-01T00:00:00Z'),
);

const mutated = fc
  .tuple(valid, fc.array(fc.tuple(fc.constantFrom(...advicePaths), fc.constantFrom('set', 'delete', 'add'), oddValue), { minLength: 1, maxLength: 3 }))
  .map(([advice, edits]) => {
    const a = structuredClone(advice);
    for (const [path, op, value] of edits) {
      const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Json | undefined)?.[k], a) as Json | undefined;
      if (!parent || typeof parent !== 'object') continue;
      const key = path[path.length - 1]!;
      if (op === 'set') parent[key] = value;
      else if (op === 'delete') delete parent[key];
      else parent[`${key}Extra`] = value;
    }
    return a;
  });

const subject = fc.record({ bsn, name: fc.constant({ givenNames: CANARY_TEXT[1], surname: CANARY_TEXT[3] }), dateOfBirth: fc.constant(CANARY_TEXT[2]) });
// Mostly issued by a test client's own Veiligheidshuis, so that source binding (checked first) lets most of
// them through to the schema, the rules, the quality criteria and the policy.
const fromTheSchema = fc
  .tuple(fromSchema(readSchema('advice.v1.json')), subject, fc.boolean(), fc.option(oin, { freq: 5 }))
  .map(([record, s, withCanary, issuerOin]) => {
    if (!record || typeof record !== 'object') return record;
    const r: Json = { ...(record as Json), ...(withCanary ? { subject: s } : {}) };
    return issuerOin === null ? r : { ...r, issuer: { ...(r['issuer'] as Json), oin: issuerOin } };
  });

const nested = fc.tuple(fc.integer({ min: 1, max: 120_000 }), fc.constantFrom('[', '{"a":'), fc.boolean()).map(([depth, open, inField]) => {
  const close = open === '[' ? ']' : '}';
  const deep = open.repeat(depth) + (open === '[' ? '' : '1') + close.repeat(depth);
  return inField ? JSON.stringify({ ...validAdvice(), goal: 'DEEP' }).replace('"DEEP"', deep) : deep;
});

const huge = fc
  .tuple(valid, fc.integer({ min: 100_000, max: 400_000 }), fc.constantFrom('goal', 'list'))
  .map(([advice, size, how]) =>
    JSON.stringify(how === 'goal' ? { ...advice, goal: 'x'.repeat(size) } : { ...advice, extra: Array.from({ length: size / 4 }, () => 1) }),
  );

const FORBIDDEN = [
  '"__proto__": {"polluted": true}',
  '"constructor": {"prototype": {"polluted": true}}',
  '"__proto__": null',
  '"prototype": {"polluted": true}',
];
const polluted = fc.tuple(valid, fc.constantFrom(...FORBIDDEN), fc.nat()).map(([advice, key, at]) => {
  const text = JSON.stringify(advice);
  const opens = [...text.matchAll(/\{/g)].map((m) => m.index);
  const i = opens[at % opens.length]!;
  return `${text.slice(0, i + 1)}${key},${text.slice(i + 1)}`;
});

// The same member twice in some object of a valid advice, the second time spelt with a \u escape now and then.
const duplicated = fc.tuple(valid, fc.nat(), fc.boolean()).map(([advice, at, escaped]) => {
  const text = JSON.stringify(advice);
  const members = [...text.matchAll(/[{,]"([a-zA-Z]+)":/g)];
  const m = members[at % members.length]!;
  const name = escaped ? `\\u${m[1]!.charCodeAt(0).toString(16).padStart(4, '0')}${m[1]!.slice(1)}` : m[1]!;
  return `${text.slice(0, m.index + 1)}"${name}":"FZ-SHADOWED",${text.slice(m.index + 1)}`;
});

const encoded = fc.tuple(valid, fc.constantFrom('utf16le', 'latin1', 'bom', 'nul', 'truncated')).map(([advice, how]): Buffer => {
  const text = JSON.stringify({ ...advice, goal: 'Één doel, ñ, ü, 漢字' });
  if (how === 'utf16le') return Buffer.from(text, 'utf16le');
  if (how === 'latin1') return Buffer.from(text, 'latin1');
  if (how === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  if (how === 'nul') return Buffer.from(text.replace(':', ':\u0000'));
  return Buffer.from(text).subarray(0, Buffer.byteLength(text) - 3);
});

// ZSM case events: valid ones (some in another system's name), and ones built from their schema.
const caseEvent = fc
  .tuple(
    fc.constantFrom('suspect-entered-zsm', 'advice-requested', 'advice-consulted', 'decision-taken', 'case-closed' as const),
    bsn,
    fc.constantFrom(ZSM_OIN, ZSM_OIN, OTHER_VH_OIN),
  )
  .map(([type, b, source]) => {
    const e = validCaseEvent(type, { bsn: b });
    return { ...e, source: { ...(e['source'] as Json), oin: source } };
  });
const caseEventFromSchema = fromSchema(readSchema('case-event.v1.json'));

const json = (a: fc.Arbitrary<unknown>) => a.map((v) => JSON.stringify(v) ?? 'null');

export const bodies: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: json(valid).map((payload) => ({ kind: 'valid', payload })) },
  { weight: 5, arbitrary: json(mutated).map((payload) => ({ kind: 'mutated', payload })) },
  { weight: 3, arbitrary: json(fromTheSchema).map((payload) => ({ kind: 'from-schema', payload })) },
  { weight: 2, arbitrary: json(fc.jsonValue()).map((payload) => ({ kind: 'any-json', payload })) },
  { weight: 2, arbitrary: json(caseEvent).map((payload) => ({ kind: 'case-event', payload })) },
  { weight: 1, arbitrary: json(caseEventFromSchema).map((payload) => ({ kind: 'case-event-from-schema', payload })) },
  { weight: 1, arbitrary: nested.map((payload) => ({ kind: 'deep', payload })) },
  { weight: 1, arbitrary: huge.map((payload) => ({ kind: 'huge', payload })) },
  { weight: 2, arbitrary: polluted.map((payload) => ({ kind: 'prototype-key', payload })) },
  { weight: 2, arbitrary: encoded.map((payload) => ({ kind: 'encoding', payload })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 3000 }).map((b) => ({ kind: 'bytes', payload: Buffer.from(b) })) },
  // A member name given twice, at the top or deeper (JSON.parse would keep the last): refused, 400 (I-JSON).
  { weight: 1, arbitrary: json(valid).map((text) => ({ kind: 'duplicate-keys', payload: text.replace(/^\{/, '{"adviceId":"FZ-SHADOWED","version":"x",') })) },
  { weight: 1, arbitrary: duplicated.map((payload) => ({ kind: 'duplicate-keys-nested', payload })) },
  { weight: 1, arbitrary: fc.constantFrom<Body>({ kind: 'empty', payload: '' }, { kind: 'none', payload: undefined }) },
);

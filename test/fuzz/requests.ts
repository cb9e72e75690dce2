// Whole requests for the fuzz campaign: every declared route (and some that are not), any method, path
// parameters and query strings that should not be there, good and bad credentials, right and wrong content types.
import fc from 'fast-check';
import type { DeclaredRoute } from '../../src/http/access.ts';
import type { TestClientName } from '../support/clients.ts';
import { bodies, CANARY_BSNS, CANARY_TEXT, type Body } from './bodies.ts';

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Body;
  auth: string;
}

export interface FuzzContext {
  routes: readonly DeclaredRoute[];
  tokens: Record<TestClientName, string>;
}

const printable = (max: number) => fc.string({ maxLength: max, unit: fc.constantFrom(...' !#$%&()*+,-./0123456789:;<=>?@ABCXYZ[]^_`abcxyz{|}~'.split('')) });

const param = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom(...CANARY_BSNS, ...CANARY_TEXT.map(encodeURIComponent)) },
  { weight: 2, arbitrary: printable(120).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('..%2f..%2fetc%2fpasswd', '%00', '%ZZ', '%', 'a%2Fb', '%F0%9F%92%A5') },
);

const query = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(...CANARY_BSNS).map((b) => `?bsn=${b}`) },
  { weight: 1, arbitrary: printable(40).map((q) => `?${encodeURIComponent(q)}=${encodeURIComponent(CANARY_TEXT[3]!)}`) },
);

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/json-seq',
  '',
  'application/json;;',
  '*/*',
];
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | undefined>('application/json') },
  { weight: 2, arbitrary: fc.constant<string | undefined>('application/json; charset=utf-8') },
  { weight: 3, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES, undefined) },
  { weight: 1, arbitrary: printable(60) },
);

function authArbitrary(tokens: Record<TestClientName, string>): fc.Arbitrary<{ kind: string; header: string | undefined }> {
  const names = Object.keys(tokens) as TestClientName[];
  const token = fc.constantFrom(...names).map((n) => tokens[n]);
  // Flips the case of the n-th letter (digits have no case: flipping one would leave the token valid).
  const flip = (t: string, n: number) => {
    const letters = [...t].flatMap((c, i) => (/[a-zA-Z]/.test(c) ? [i] : []));
    const i = letters[n % letters.length]!;
    return t.slice(0, i) + (t[i] === t[i]!.toUpperCase() ? t[i].toLowerCase() : t[i]!.toUpperCase()) + t.slice(i + 1);
  };
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc.constantFrom<TestClientName>('gcos', 'gcos', 'gcos', 'zsm', ...names).map((n) => ({ kind: `token:${n}`, header: `Bearer ${tokens[n]}` })),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'none', header: undefined }) },
    { weight: 1, arbitrary: fc.tuple(token, fc.nat()).map(([t, n]) => ({ kind: 'prefix', header: `Bearer ${t.slice(0, n % t.length)}` })) },
    { weight: 1, arbitrary: fc.tuple(token, fc.nat()).map(([t, n]) => ({ kind: 'case', header: `Bearer ${flip(t, n)}` })) },
    { weight: 1, arbitrary: token.map((t) => ({ kind: 'longer', header: `Bearer ${t}0` })) },
    { weight: 1, arbitrary: printable(200).map((h) => ({ kind: 'garbage', header: h })) },
    { weight: 1, arbitrary: token.map((t) => ({ kind: 'basic', header: `Basic ${Buffer.from(`u:${t}`).toString('base64')}` })) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 12_000 }).map((n) => ({ kind: 'huge', header: `Bearer ${'a'.repeat(n)}` })) },
  );
}

export function fuzzRequests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const declared = fc
    .constantFrom(...ctx.routes)
    .chain((r) =>
      fc
        .tuple(fc.array(param, { minLength: 2, maxLength: 2 }), query)
        .map(([[a, b], q]) => ({ method: r.method, url: r.url.replace(/:[A-Za-z]+/, a!).replace(/:[A-Za-z]+/, b!) + q })),
    );
  const submit = fc
    .tuple(fc.constantFrom('/v1/advices', '/v1/advices', '/v1/advices', '/v1/case-events'), query)
    .map(([path, q]) => ({ method: 'POST', url: `${path}${q}` }));
  const other = fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      fc.oneof(fc.constantFrom(...ctx.routes.map((r) => r.url)), fc.webPath()),
    )
    .map(([method, url]) => ({ method, url: url.startsWith('/') ? url : `/${url}` }));
  const target = fc.oneof({ weight: 10, arbitrary: submit }, { weight: 4, arbitrary: declared }, { weight: 1, arbitrary: other });
  const headerText = fc.oneof(printable(80), fc.constantFrom(...CANARY_BSNS, ...CANARY_TEXT.map((t) => t.replace(/[^A-Za-z0-9-]/g, ''))));
  // A compressed body is refused (415), however it is named; identity is taken.
  const encoding = fc.oneof(
    { weight: 15, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('br', 'gzip', 'deflate', 'identity', 'IDENTITY', 'gzip, identity', 'x-unknown', '') },
  );
  const extra = fc
    .tuple(fc.record({ traceparent: headerText, 'x-request-id': headerText }, { requiredKeys: [] }), encoding)
    .map(([x, e]): Record<string, string> => (e === undefined ? x : { ...x, 'content-encoding': e }));
  return fc
    .record({ target, body: bodies, contentType, auth: authArbitrary(ctx.tokens), extra })
    .map(({ target: t, body, contentType: ct, auth, extra: x }) => ({
      method: t.method,
      url: t.url,
      body,
      auth: auth.kind,
      headers: { ...x, ...(ct === undefined ? {} : { 'content-type': ct }), ...(auth.header === undefined ? {} : { authorization: auth.header }) },
    }));
}

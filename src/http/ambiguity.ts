// Requests that could be read two ways are refused, not interpreted: a proxy in front of the bridge and the bridge
// must never disagree about who is calling or what the body says.
// - A header that may appear once, given twice (400): Node keeps the first Authorization, joins others with a
//   comma, and a proxy may read the last. Judged from the raw headers, before authentication reads any.
// - A Content-Encoding other than identity (415): the body would be parsed as if it were not compressed.
// - A charset other than UTF-8 in Content-Type (415): the body is decoded as UTF-8 whatever the label says.
// Duplicate member names in a JSON body are refused by the body parser (src/records/json-body.ts).
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';

/** Headers that must appear at most once, by their lower-case name, with the spelling a message names them by. */
const SINGLE_HEADERS: ReadonlyMap<string, string> = new Map([
  ['authorization', 'Authorization'],
  ['content-type', 'Content-Type'],
  ['content-length', 'Content-Length'],
  ['content-encoding', 'Content-Encoding'],
]);

/** The first header of SINGLE_HEADERS that `rawHeaders` (name, value, name, value, ...) holds twice. */
export function repeatedHeader(rawHeaders: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) return SINGLE_HEADERS.get(name);
    seen.add(name);
  }
  return undefined;
}

/** Why a body with these headers cannot be read as UTF-8 JSON as it stands, or undefined when it can. */
export function unreadableBody(headers: { 'content-encoding'?: string | undefined; 'content-type'?: string | undefined }): BridgeError | undefined {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    return new BridgeError('BRIDGE_UNSUPPORTED_ENCODING', 'Content-Encoding must be identity or absent: send the body uncompressed');
  }
  const parameters = (headers['content-type'] ?? '').split(';').slice(1);
  const charsets = parameters
    .map((p) => p.split('='))
    .filter(([name]) => name?.trim().toLowerCase() === 'charset')
    .map(([, value]) =>
      (value ?? '')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    );
  if (charsets.length > 1 || charsets.some((c) => c !== 'utf-8' && c !== 'utf8')) {
    return new BridgeError('BRIDGE_UNSUPPORTED_MEDIA_TYPE', 'The body must be UTF-8: leave out the charset parameter or give charset=utf-8');
  }
  return undefined;
}

export function installAmbiguityChecks(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const repeated = repeatedHeader(request.raw.rawHeaders);
    if (repeated) throw new BridgeError('BRIDGE_DUPLICATE_HEADER', `The ${repeated} header appears more than once; send it once`);
  });
  // After authentication (a client without credentials learns nothing about bodies), before the body is read.
  app.addHook('preParsing', async (request) => {
    const refusal = unreadableBody(request.headers);
    if (refusal) throw refusal;
  });
}

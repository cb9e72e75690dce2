// Content negotiation (RFC 9110 section 12.5.1): a request whose Accept names no media type the route answers in is
// refused with 406 before anything else is done for it. JSON routes answer application/json and, for errors,
// application/problem+json; a route that answers otherwise says so with `produces` in its schema (metrics: text).
// No Accept, an empty one, or a range that covers one of the route's types (*/*, application/*) is fine.
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';

const JSON_TYPES = ['application/json', 'application/problem+json'];

/** The media ranges of an Accept header that are acceptable (q above 0), lower case, without parameters. */
export function acceptedRanges(accept: string): string[] {
  const ranges: string[] = [];
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (range === '') continue;
    const q = params.find((p) => /^q\s*=/.test(p));
    if (q !== undefined && !(Number(q.replace(/^q\s*=\s*/, '')) > 0)) continue;
    ranges.push(range);
  }
  return ranges;
}

/** Whether a media range covers a media type: exact, `type/*` or `*\/*`. */
function covers(range: string, type: string): boolean {
  if (range === '*/*' || range === type) return true;
  return range.endsWith('/*') && type.startsWith(range.slice(0, -1));
}

export function acceptable(accept: string | undefined, served: readonly string[]): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const ranges = acceptedRanges(accept);
  return ranges.some((range) => served.some((type) => covers(range, type)));
}

export function installContentNegotiation(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const served: readonly string[] = request.routeOptions.schema?.produces ?? JSON_TYPES;
    if (!acceptable(request.headers.accept, served)) {
      throw new BridgeError('BRIDGE_NOT_ACCEPTABLE', `This resource answers in ${served.join(' or ')}; Accept names none of them`);
    }
  });
}

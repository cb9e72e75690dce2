// Security headers on every response (@fastify/helmet), set for an API that serves JSON to systems, never pages
// to browsers: nothing may be framed, loaded or sniffed, no referrer leaks, and HSTS when the bridge serves HTTPS.
// Registered first among the request hooks, so that an early refusal (401, 429, 503) carries them too.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export async function installSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
}

// The fuzz campaign: fast-check draws requests, each goes to a real bridge (app.inject, real PostgreSQL), and each
// answer is checked: never a 5xx, a problem document for every refusal, no row for a refused request, nothing
// accepted without the right client. A failing request is shrunk to a small one and reported.
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import type { TestBridge } from '../support/bridge.ts';
import { TEST_CLIENTS, type TestClientName } from '../support/clients.ts';
import { countRows } from '../support/db.ts';
import { fuzzRequests, type FuzzRequest } from './requests.ts';

export interface FuzzSummary {
  requests: number;
  seed: number;
  ms: number;
  byStatus: Record<string, number>;
  byBody: Record<string, number>;
  serverErrors: number;
  /** Records or outbox rows that appeared for a request that was not accepted. */
  rowsFromRefused: number;
  /** Receipt ids of the records accepted. */
  accepted: string[];
  failure: string | undefined;
}

const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);

function issuerOf(req: FuzzRequest): string | undefined {
  try {
    // The bridge decodes as the WHATWG TextDecoder does: a leading UTF-8 byte order mark is dropped (RFC 8259 allows it).
    const text = Buffer.isBuffer(req.body.payload) ? new TextDecoder().decode(req.body.payload) : req.body.payload;
    const body = JSON.parse(text ?? '') as { issuer?: { oin?: string }; source?: { oin?: string } };
    return req.url.startsWith('/v1/case-events') ? body.source?.oin : body.issuer?.oin;
  } catch {
    return undefined;
  }
}

/** What is wrong with one answer, if anything. */
function judge(req: FuzzRequest, res: LightMyRequestResponse): string | undefined {
  const s = res.statusCode;
  if (s >= 500) return `${s} ${res.body.slice(0, 300)}`;
  if (s >= 400 && req.method !== 'HEAD') {
    if (!String(res.headers['content-type']).startsWith('application/problem+json')) return `${s} without a problem document`;
    if (!/^BRIDGE_[A-Z_]+$/.test(res.json<{ code?: string }>().code ?? '')) return `${s} without a code`;
    if (/\n\s+at .+:\d+/.test(res.body)) return `${s} with a stack trace`;
  }
  if (s === 401 && !res.headers['www-authenticate']) return '401 without WWW-Authenticate';
  if ((s === 429 || s === 503) && !res.headers['retry-after']) return `${s} without Retry-After`;
  if (s === 202) {
    const client = req.auth.startsWith('token:') ? TEST_CLIENTS[req.auth.slice(6) as TestClientName] : undefined;
    const role = req.url.startsWith('/v1/case-events') ? 'submit-case-events' : 'submit-advice';
    if (!client || !(client.roles as readonly string[]).includes(role)) return `202 for ${req.auth}`;
    if (issuerOf(req) !== client.oin) return `202 for ${client.id} submitting for ${issuerOf(req)}`;
  }
  return undefined;
}

export async function runCampaign(bridge: TestBridge, opts: { runs: number; seed?: number }): Promise<FuzzSummary> {
  const pool = bridge.services.pool;
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const summary: FuzzSummary = { requests: 0, seed, ms: 0, byStatus: {}, byBody: {}, serverErrors: 0, rowsFromRefused: 0, accepted: [], failure: undefined };
  const started = Date.now();
  let rows = await countRows(pool);
  let lastFailure = '';
  const property = fc.asyncProperty(fuzzRequests({ routes: bridge.app.declaredRoutes, tokens: inject('testClients').tokens }), async (req) => {
    const res = await bridge.app.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: req.headers,
      ...(req.body.payload === undefined ? {} : { payload: req.body.payload }),
    });
    summary.requests++;
    bump(summary.byStatus, String(res.statusCode));
    bump(summary.byBody, req.body.kind);
    if (res.statusCode >= 500) summary.serverErrors++;
    const after = await countRows(pool);
    const fresh = res.statusCode === 202 && res.headers['idempotent-replayed'] !== 'true';
    const expected = fresh ? rows.records + 1 : rows.records;
    const grew = after.records !== expected || (!fresh && after.outbox !== rows.outbox);
    rows = after;
    if (fresh) summary.accepted.push(res.json<{ id: string }>().id);
    if (grew) summary.rowsFromRefused++;
    const wrong = judge(req, res) ?? (grew ? `rows changed for a ${res.statusCode}` : undefined);
    if (wrong) {
      // The last failing request is the smallest one shrinking found.
      // The whole request, to replay by hand (reports/ is not committed).
      mkdirSync('reports', { recursive: true });
      writeFileSync(
        'reports/fuzz-failure.json',
        JSON.stringify(
          {
            ...req,
            body: { kind: req.body.kind, payload: Buffer.from(req.body.payload ?? '').toString('base64') },
            status: res.statusCode,
            answer: res.body.slice(0, 2000),
          },
          null,
          2,
        ),
      );
      lastFailure = `${req.method} ${req.url.slice(0, 120)} (${req.body.kind} body of ${Buffer.byteLength(req.body.payload ?? '')} bytes, ${req.auth}, content-type ${req.headers['content-type']}): ${wrong}`;
      throw new Error(lastFailure);
    }
  });
  try {
    await fc.assert(property, { numRuns: opts.runs, seed, endOnFailure: false });
  } catch (err) {
    summary.failure = `${lastFailure || (err as Error).message.slice(0, 2000)} (replay: FUZZ_SEED=${seed})`;
  }
  summary.ms = Date.now() - started;
  return summary;
}

export function formatSummary(s: FuzzSummary): string {
  const sorted = (m: Record<string, number>) =>
    Object.entries(m)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  return [
    `fuzz: ${s.requests} requests in ${(s.ms / 1000).toFixed(1)} s (seed ${s.seed}); 5xx: ${s.serverErrors}; rows from refused requests: ${s.rowsFromRefused}; accepted: ${s.accepted.length}`,
    `fuzz: by status: ${sorted(s.byStatus)}`,
    `fuzz: by body: ${sorted(s.byBody)}`,
  ].join('\n');
}

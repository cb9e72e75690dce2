// Every route is closed unless it says otherwise: no credentials -> 401, wrong role -> 403, right role -> through.
// The routes are taken from the app itself, so a route added later is covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeclaredRoute } from '../../../src/http/access.ts';
import { authorization, startBridge, type TestBridge } from '../../support/bridge.ts';
import { TEST_CLIENTS, type TestClientName } from '../../support/clients.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({
    relay: false,
    routes: (app) => app.get('/v1/undeclared', async () => ({ open: true })),
  });
});
afterAll(async () => {
  await bridge?.close();
});

const ANY_ID = '00000000-0000-4000-8000-000000000000';
// A recipient in the path is one the receiver test client is bound to: past its role, the binding is checked.
const urlOf = (r: DeclaredRoute) => r.url.replace(':recipient', 'om-zsm').replace(/:[A-Za-z]+/g, ANY_ID);
const routes = () => bridge.app.declaredRoutes.filter((r) => r.url !== '/v1/undeclared');
const protectedRoutes = () => routes().filter((r) => r.access !== 'public');
const call = (r: DeclaredRoute, as: TestClientName | null) =>
  bridge.inject({ method: r.method, url: urlOf(r), ...(r.method === 'POST' ? { payload: {} } : {}) }, as);

describe('route access', () => {
  it('finds the routes, and every one declares its access', () => {
    expect(routes().map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /v1/advices', 'GET /v1/records/:id', 'GET /metrics', 'GET /health/live']),
    );
    expect(routes().filter((r) => r.access === undefined)).toEqual([]);
  });

  it('answers 401 with a Bearer challenge on every protected route when no credentials are sent', async () => {
    expect(protectedRoutes().length).toBeGreaterThan(2);
    for (const r of protectedRoutes()) {
      const res = await call(r, null);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="gcos-zsm-bridge"');
      if (r.method !== 'HEAD') expect(res.json()).toMatchObject({ code: 'BRIDGE_UNAUTHENTICATED', status: 401 });
    }
  });

  it("answers 403 to a client that lacks the route's role, and lets a client with one of them through", async () => {
    for (const r of protectedRoutes()) {
      const roles = r.access === 'public' || r.access === undefined ? [] : r.access.roles;
      const names = Object.keys(TEST_CLIENTS) as TestClientName[];
      const without = names.filter((n) => !TEST_CLIENTS[n].roles.some((role) => roles.includes(role)));
      const withRole = names.filter((n) => !without.includes(n));
      expect(without.length, `${r.method} ${r.url}: some test client lacks its roles`).toBeGreaterThan(0);
      for (const n of without) {
        const res = await call(r, n);
        expect(res.statusCode, `${r.method} ${r.url} as ${n}`).toBe(403);
        if (r.method !== 'HEAD') expect(res.json()).toMatchObject({ code: 'BRIDGE_FORBIDDEN' });
      }
      for (const n of withRole) expect([401, 403], `${r.method} ${r.url} as ${n}`).not.toContain((await call(r, n)).statusCode);
    }
  });

  it('keeps liveness, readiness, the OpenAPI document and the event data schemas open without credentials', async () => {
    const open = routes()
      .filter((r) => r.access === 'public')
      .map((r) => `${r.method} ${r.url}`);
    expect(open.filter((r) => r.startsWith('GET ')).sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /v1/asyncapi.json',
      'GET /v1/openapi.json',
      'GET /v1/schemas/:topic/:type',
    ]);
    for (const url of ['/health/live', '/health/ready', '/v1/openapi.json']) expect((await bridge.app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });

  it('closes a route that declares no access to every client, even one with every role', async () => {
    expect((await bridge.app.inject({ method: 'GET', url: '/v1/undeclared' })).statusCode).toBe(401);
    for (const n of Object.keys(TEST_CLIENTS) as TestClientName[]) {
      const res = await bridge.inject({ method: 'GET', url: '/v1/undeclared' }, n);
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('open');
    }
  });
});

describe('bearer tokens', () => {
  const token = () => authorization('gcos')['authorization']!.slice('Bearer '.length);
  const get = (header: string | undefined) =>
    bridge.app.inject({ method: 'GET', url: `/v1/records/${ANY_ID}`, headers: header === undefined ? {} : { authorization: header } });
  const swapCase = (s: string, at: number) => s.slice(0, at) + (s[at] === s[at]!.toUpperCase() ? s[at].toLowerCase() : s[at]!.toUpperCase()) + s.slice(at + 1);

  it('accepts the token exactly as made, with the scheme in any case', async () => {
    expect((await get(`Bearer ${token()}`)).statusCode).toBe(404);
    expect((await get(`bearer ${token()}`)).statusCode).toBe(404);
  });

  it('refuses a token that is only a prefix, differs in case, is longer, or is not a bearer token', async () => {
    const t = token();
    const letter = [...t].findLastIndex((c) => /[a-zA-Z]/.test(c)); // a letter in the secret part
    const wrong = [
      t.slice(0, -1),
      t.slice(0, 20),
      t.toUpperCase(),
      swapCase(t, letter),
      `${t}x`,
      `${t} ${t}`,
      t.replace(/_[^_]+_/, '_0123456789abcdef_'), // a well-formed token with a key id nobody has
    ];
    for (const w of wrong) {
      const res = await get(`Bearer ${w}`);
      expect(res.statusCode, w).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="gcos-zsm-bridge", error="invalid_token"');
    }
    for (const header of [`Basic ${Buffer.from(`test-gcos:${t}`).toString('base64')}`, 'Bearer', 'Bearer ', t, `Token ${t}`]) {
      expect((await get(header)).statusCode, header).toBe(401);
    }
  });

  it("refuses the right secret under another client's key id, before and after that client was seen", async () => {
    const [gcos, ops] = [token(), authorization('ops')['authorization']!.slice('Bearer '.length)];
    const mixed = `${ops.slice(0, 21)}${gcos.slice(21)}`; // ops's key id, gcos's secret
    expect((await get(`Bearer ${mixed}`)).statusCode).toBe(401);
    expect((await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops')).statusCode).toBe(200);
    expect((await get(`Bearer ${mixed}`)).statusCode).toBe(401);
  });

  it('logs each refusal with its code, route and client, and never a token', async () => {
    await get('Bearer gzb_0123456789abcdef_not-a-real-secret-not-a-real-secret-xxxxxx');
    await bridge.inject({ method: 'GET', url: '/metrics' }, 'gcos');
    const refused = bridge.logs.entries().filter((e) => e['event'] === 'request-refused');
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BRIDGE_UNAUTHENTICATED', route: '/v1/records/:id', actor: null }),
        expect.objectContaining({ code: 'BRIDGE_FORBIDDEN', route: '/metrics', actor: 'client:test-gcos', via: 'token' }),
      ]),
    );
    const text = bridge.logs.text();
    for (const n of Object.keys(TEST_CLIENTS) as TestClientName[]) expect(text).not.toContain(authorization(n)['authorization']!.slice(7));
    expect(text).not.toContain('not-a-real-secret');
  });
});

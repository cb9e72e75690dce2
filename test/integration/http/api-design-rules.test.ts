// The runtime side of the NL API Design Rules (docs/standards.md): API-Version on every answer, 405 with Allow on
// every route, 406 for an Accept a route cannot serve, the OpenAPI document readable from any origin, and every
// 4xx/5xx a problem document with status, title and detail. The routes come from the app itself, so a route added
// later is checked without editing this file.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublic } from '../../../src/http/access.ts';
import { API_VERSION } from '../../../src/version.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { TEST_CLIENTS, type TestClientName } from '../../support/clients.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

const ID = '3f1c6a52-8d7e-4c1b-9a0f-2b6d4e8c1a70';
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, ID);

/** The declared routes (HEAD is Fastify's own companion of GET), each with a client that may call it. */
function routes(): { method: string; url: string; as: TestClientName | null }[] {
  return bridge.app.declaredRoutes
    .filter((r) => r.method !== 'HEAD')
    .map((r) => {
      if (isPublic(r.access)) return { method: r.method, url: r.url, as: null };
      const roles = r.access?.roles ?? [];
      const as = (Object.keys(TEST_CLIENTS) as TestClientName[]).find((name) => TEST_CLIENTS[name].roles.some((role) => roles.includes(role)));
      return { method: r.method, url: r.url, as: as ?? 'gcos' };
    });
}

function expectProblem(res: LightMyRequestResponse, status: number): void {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json<Record<string, unknown>>();
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(res.headers['api-version']).toBe(API_VERSION);
}

describe('API-Version (/core/version-header)', () => {
  it('equals info.version on every answer: success, health, metrics, the document, refusals, 404, 405, 406', async () => {
    const doc = await bridge.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    const version = doc.json<{ info: { version: string } }>().info.version;
    expect(version).toBe(API_VERSION);
    const answers = [
      doc,
      await bridge.app.inject({ method: 'GET', url: '/health/live' }),
      await bridge.app.inject({ method: 'GET', url: '/health/ready' }),
      await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops'),
      await bridge.inject({ method: 'GET', url: '/metrics' }, null),
      await bridge.inject({ method: 'GET', url: `/v1/records/${ID}` }),
      await bridge.inject({ method: 'POST', url: '/v1/advices', headers: { 'content-type': 'application/json' }, payload: '{' }),
      await bridge.app.inject({ method: 'GET', url: '/v1/nothing-here' }),
      await bridge.app.inject({ method: 'GET', url: '/v1/%zz' }),
      await bridge.app.inject({ method: 'DELETE', url: '/v1/advices' }),
      await bridge.app.inject({ method: 'GET', url: '/health/live', headers: { accept: 'text/html' } }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 401, 404, 400, 404, 400, 405, 406]);
    for (const answer of answers) expect(answer.headers['api-version'], `${answer.statusCode}`).toBe(version);
  });
});

describe('405 with Allow (RFC 9110 section 15.5.6)', () => {
  it('on every route, for a method the path does not have, naming those it has', async () => {
    const byPath = new Map<string, Set<string>>();
    for (const r of bridge.app.declaredRoutes) byPath.set(r.url, (byPath.get(r.url) ?? new Set()).add(r.method));
    for (const [url, methods] of byPath) {
      const other = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET'].find((m) => !methods.has(m))!;
      const res = await bridge.app.inject({ method: other as 'PUT', url: concrete(url) });
      expectProblem(res, 405);
      const allow = (res.headers['allow'] as string).split(', ');
      for (const m of methods) expect(allow, `${other} ${url}`).toContain(m);
    }
  });
});

describe('406 for an Accept the route cannot serve', () => {
  it('on every route, with a client that may call it', async () => {
    for (const r of routes()) {
      const res = await bridge.inject({ method: r.method, url: concrete(r.url), headers: { accept: 'text/html' } }, r.as);
      expectProblem(res, 406);
      expect(res.json(), `${r.method} ${r.url}`).toMatchObject({ code: 'BRIDGE_NOT_ACCEPTABLE' });
    }
  });

  it('not for */*, application/json, application/problem+json, a matching range or no Accept; a range with q=0 does not count', async () => {
    for (const accept of [undefined, '', '*/*', 'application/json', 'application/problem+json', 'application/*', 'text/html, application/json;q=0.5']) {
      const res = await bridge.app.inject({ method: 'GET', url: '/health/live', headers: accept === undefined ? {} : { accept } });
      expect(res.statusCode, String(accept)).toBe(200);
    }
    expectProblem(await bridge.app.inject({ method: 'GET', url: '/health/live', headers: { accept: 'application/json;q=0, text/html' } }), 406);
  });

  it('metrics answer in text: text/plain and Prometheus’s Accept pass, JSON alone is refused', async () => {
    const prometheus = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1';
    expect((await bridge.inject({ method: 'GET', url: '/metrics', headers: { accept: prometheus } }, 'ops')).statusCode).toBe(200);
    expect((await bridge.inject({ method: 'GET', url: '/metrics', headers: { accept: 'text/plain' } }, 'ops')).statusCode).toBe(200);
    expectProblem(await bridge.inject({ method: 'GET', url: '/metrics', headers: { accept: 'application/json' } }, 'ops'), 406);
  });
});

describe('the OpenAPI document (/core/publish-openapi, /core/transport/cors)', () => {
  it('is readable from any origin, without credentials, as is the AsyncAPI document of the topics', async () => {
    for (const url of ['/v1/openapi.json', '/v1/asyncapi.json']) {
      const res = await bridge.app.inject({ method: 'GET', url, headers: { origin: 'https://developer.overheid.nl' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['access-control-allow-origin'], url).toBe('*');
      expect(res.headers['access-control-allow-credentials'], url).toBeUndefined();
      expect(res.headers['cross-origin-resource-policy'], url).toBe('cross-origin');
    }
  });

  it('the two documents are the only resources that allow other origins', async () => {
    const res = await bridge.inject({ method: 'GET', url: `/v1/records/${ID}`, headers: { origin: 'https://elsewhere.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('problem documents (/core/error-handling/problem-details)', () => {
  it('every refusal has status, title and detail: 400, 401, 403, 404, 405, 406, 415', async () => {
    expectProblem(await bridge.inject({ method: 'POST', url: '/v1/advices', headers: { 'content-type': 'application/json' }, payload: '{' }), 400);
    expectProblem(await bridge.inject({ method: 'GET', url: `/v1/records/not-a-uuid` }), 400);
    expectProblem(await bridge.inject({ method: 'GET', url: `/v1/records/${ID}` }, null), 401);
    expectProblem(await bridge.inject({ method: 'GET', url: '/v1/quarantine' }, 'gcos'), 403);
    expectProblem(await bridge.inject({ method: 'GET', url: `/v1/records/${ID}` }), 404);
    expectProblem(await bridge.app.inject({ method: 'PUT', url: '/health/ready' }), 405);
    expectProblem(await bridge.app.inject({ method: 'GET', url: '/health/ready', headers: { accept: 'text/html' } }), 406);
    expectProblem(await bridge.inject({ method: 'POST', url: '/v1/advices', headers: { 'content-type': 'text/plain' }, payload: 'x' }), 415);
  });
});

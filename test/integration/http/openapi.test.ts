import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { EXAMPLE_ADVICE } from '../../support/fixtures.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

describe('GET /v1/openapi.json', () => {
  it('is served without credentials and equals openapi.yaml in the repository (run `npm run openapi:write` after a route change)', async () => {
    const res = await bridge.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['api-version']).toBe(res.json<{ info: { version: string } }>().info.version);
    const inRepo = parse(readFileSync(new URL('../../../openapi.yaml', import.meta.url), 'utf8')) as unknown;
    expect(res.json()).toEqual(inRepo);
  });

  it('is a valid OpenAPI 3.1 document that shows the valid advice example', async () => {
    const doc = parse(readFileSync(new URL('../../../openapi.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    const paths = doc['paths'] as Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>>;
    expect(paths['/advices']!['post']!.requestBody!.content['application/json']!.example).toEqual(EXAMPLE_ADVICE);
  });

  it('documents problem+json for every error response of the advice route', () => {
    const doc = parse(readFileSync(new URL('../../../openapi.yaml', import.meta.url), 'utf8')) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const responses = doc.paths['/advices']!['post']!.responses;
    for (const status of ['400', '409', '413', '415', '422', '503']) expect(Object.keys(responses[status]!.content!)).toEqual(['application/problem+json']);
  });
});

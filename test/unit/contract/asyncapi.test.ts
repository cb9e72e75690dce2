// The AsyncAPI document: asyncapi.yaml is what the generator makes (run `npm run asyncapi:write` after a change to
// the policy, a schema or a topic), @asyncapi/parser reads it without errors, its payloads are the very schemas each
// message's ce_dataschema names, its headers are the ones the bridge sets, and the contract check readTopic runs on
// every message (test/support/contract.ts) refuses a message outside it.
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import app from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { CLOUDEVENT_HEADERS } from '../../../src/contract/headers.ts';
import { createHttpServer } from '../../../src/http/create-server.ts';
import { createLogger } from '../../../src/logger.ts';
import { closeServices, createServices, type Services } from '../../../src/services.ts';
import { buildAsyncApiDocument } from '../../../src/http/asyncapi-document.ts';
import { dataSchemaCatalogue } from '../../../src/http/schemas.ts';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import { kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { deadLetterTopicName } from '../../../src/kafka/topics.ts';
import { cloudEventHeaders } from '../../../src/outbox/cloudevents.ts';
import { createPseudonymiser } from '../../../src/privacy/pseudonym.ts';
import { newTransactionId } from '../../../src/records/transaction-id.ts';
import { loadRegionDirectory } from '../../../src/regions/regions.ts';
import { assertMatchesContract, registerContract } from '../../support/contract.ts';
import { syntheticBsn } from '../../support/fixtures.ts';
import { defaultPolicy } from '../../support/policy.ts';

type Message = { name: string; payload: Record<string, unknown>; bindings: { kafka: { key: unknown } } };
type Doc = {
  channels: Record<string, { address: string; parameters?: Record<string, { enum: string[] }>; messages: Record<string, Message> }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
};

const FILE = new URL('../../../asyncapi.yaml', import.meta.url);
const inRepo = parse(readFileSync(FILE, 'utf8')) as Doc;
const generated = buildAsyncApiDocument() as unknown as Doc;

/** The channel and message a (topic, type) is sent on, by the channel's address (a parameter takes its enum). */
function messageOf(doc: Doc, topic: string, type: string): Message | undefined {
  for (const channel of Object.values(doc.channels)) {
    const addresses = channel.parameters?.['region'] ? channel.parameters['region'].enum.map((r) => channel.address.replace('{region}', r)) : [channel.address];
    if (!addresses.includes(topic)) continue;
    return Object.values(channel.messages).find((m) => m.name === type);
  }
  return undefined;
}

// A bridge of the default configuration (the shipped policy, no topic prefix) that never connects: pg and kafkajs
// connect lazily, and this route needs neither.
let server: FastifyInstance;
let services: Services;
beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    KAFKA_BROKERS: '127.0.0.1:1',
    BRIDGE_OIN: '00000000000000000000',
    PSEUDONYM_KEY: 'only-used-to-serve-the-asyncapi-document',
    LOG_LEVEL: 'silent',
  });
  services = createServices(config, createLogger('silent'));
  server = createHttpServer({ logger: createLogger('silent'), bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs });
  await server.register(app, { services });
  await server.ready();
});
afterAll(async () => {
  await server?.close();
  if (services) await closeServices(services);
});

describe('GET /v1/asyncapi.json', () => {
  it('serves asyncapi.yaml, without credentials, to any origin; 406 for an Accept it cannot answer', async () => {
    const res = await server.inject({ method: 'GET', url: '/v1/asyncapi.json', headers: { origin: 'https://developer.overheid.nl' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.json()).toEqual(inRepo);
    expect((await server.inject({ method: 'GET', url: '/v1/asyncapi.json', headers: { accept: 'text/html' } })).statusCode).toBe(406);
  });
});

/** Spectral's severity: 0 error, 1 warning, 2 information, 3 hint (its enum comes in two copies of @stoplight/types). */
const severity = (d: { severity: unknown }) => Number(d.severity);

describe('asyncapi.yaml', () => {
  it('equals the generated document (run `npm run asyncapi:write` after a change to the policy, a schema or a topic)', () => {
    expect(generated).toEqual(inRepo);
  });

  it('is valid AsyncAPI 3.0 for @asyncapi/parser', async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(FILE, 'utf8'));
    const errors = diagnostics.filter((d) => severity(d) === 0);
    expect(errors.map((d) => `${d.code} at ${d.path.join('/')}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    const warnings = diagnostics.filter((d) => severity(d) === 1);
    process.stdout.write(`asyncapi.yaml: ${errors.length} errors, ${warnings.length} warnings, ${diagnostics.length - warnings.length} information or hints\n`);
  }, 60_000);

  it("has, for every data schema the bridge serves, that schema as its message's payload, and no message without one", () => {
    const regions = loadRegionDirectory();
    const plan = createPolicyPlan(defaultPolicy(), kindSchemas(), '', createPseudonymiser('unit-test-pseudonym-key-0123456789abcdef', 'k1'), regions);
    const catalogue = dataSchemaCatalogue({ plan, regions, topicPrefix: '', deadLetterTopic: deadLetterTopicName('') });
    let messages = 0;
    for (const channel of Object.values(inRepo.channels)) messages += Object.keys(channel.messages).length;
    const pairs = new Set<string>();
    for (const [key, text] of catalogue) {
      const [topic, type] = key.split(' ') as [string, string];
      const { $schema: _s, $id: _i, ...served } = JSON.parse(text) as Record<string, unknown>;
      const message = messageOf(inRepo, topic, type);
      expect(message, key).toBeDefined();
      expect(message!.payload, key).toEqual(served);
      pairs.add(`${Object.entries(inRepo.channels).find(([, c]) => Object.values(c.messages).includes(message!))![0]} ${type}`);
    }
    // Every outgoing message is served; the one left is the inbound case event.
    expect(pairs.size).toBe(messages - 1);
    expect(inRepo.operations['receive.case-event.inbound']?.action).toBe('receive');
    expect(Object.values(inRepo.operations).filter((o) => o.action === 'send')).toHaveLength(Object.keys(inRepo.channels).length - 1);
  });

  it('declares as CloudEvents headers exactly those the bridge sets, requiring those it sets on every message', () => {
    const always = cloudEventHeaders({ id: 'i', source: 's', type: 't', time: 'x', dataschema: 'd', traceparent: '' });
    const all = cloudEventHeaders({ id: 'i', source: 's', type: 't', time: 'x', dataschema: 'd', traceparent: '', fsctransactionid: newTransactionId() });
    expect(Object.keys(CLOUDEVENT_HEADERS).sort()).toEqual(Object.keys(all).sort());
    expect(inRepo.components.schemas['CloudEventHeaders']!.required!.sort()).toEqual(Object.keys(always).sort());
  });

  it('keys every recipient channel by a pseudonym and the regional case events by one channel per region parameter', () => {
    const regional = inRepo.channels['case-event.veiligheidshuizen']!;
    expect(regional.address).toBe('bridge.case-event.{region}.v1');
    expect(regional.parameters!['region']!.enum).toHaveLength(loadRegionDirectory().regions.length);
    expect(regional.messages['recorded']!.bindings.kafka.key).toEqual({ $ref: '#/components/schemas/SubjectPseudonym' });
    expect(inRepo.channels['advice.om-zsm']!.messages['accepted']!.bindings.kafka.key).toEqual({ $ref: '#/components/schemas/SubjectPseudonym' });
  });
});

describe('the contract check every read message passes (test/support/contract.ts)', () => {
  registerContract(() => generated);
  const headers = (type: string, topic: string) => ({
    ...cloudEventHeaders({
      id: '66192988-ab85-4d6f-8ad5-ed58e9589e9f',
      source: 'urn:nld:oin:00000001001234567000:systeem:gcos-zsm-bridge',
      type,
      time: '2026-12-03T09:12:44.120Z',
      dataschema: `http://localhost:8080/v1/schemas/${topic}/${type}`,
      traceparent: '',
    }),
  });
  const topic = 'bridge.advice.slachtofferhulp.v1';
  const type = 'nl.justitieketen.zsm.advice.expired';
  const value = {
    recordId: '9b55328a-a04b-4485-b0ea-c8721eb3d40f',
    kind: 'advice',
    adviceId: 'VH-1',
    version: 1,
    validUntil: '2027-05-20',
    expiredAt: '2027-05-21T00:07:00.000Z',
  };
  const message = (over: Partial<{ key: string; value: unknown; headers: Record<string, string>; topic: string }> = {}) => ({
    topic: over.topic ?? topic,
    key: over.key ?? 'k1.AAAAAAAAAAAAAAAAAAAAAA',
    value: JSON.stringify(over.value ?? value),
    headers: over.headers ?? headers(type, topic),
  });

  it('passes a message that fits its channel', () => {
    expect(() => assertMatchesContract(message())).not.toThrow();
  });

  it('refuses a value with a field the channel does not carry, a BSN as key, a header of another type, a topic of no channel', () => {
    expect(() => assertMatchesContract(message({ value: { ...value, subject: { bsn: syntheticBsn(1) } } }))).toThrow(/value against/);
    expect(() => assertMatchesContract(message({ key: syntheticBsn(2) }))).toThrow(/key against/);
    const wrongSchema = { ...headers(type, topic), ce_dataschema: `http://localhost:8080/v1/schemas/bridge.advice.om-zsm.v1/${type}` };
    expect(() => assertMatchesContract(message({ headers: wrongSchema }))).toThrow(/headers against/);
    expect(() => assertMatchesContract(message({ topic: 'bridge.advice.nobody.v1' }))).toThrow(/no channel/);
  });
});

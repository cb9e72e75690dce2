// Every message's data against the schema its ce_dataschema names: a recipient's view of the shipped examples
// validates against the view schema made from the same grant, and the envelope, an expiry notice and a dead letter
// against theirs. The builder puts the NL GOV profile's attributes on each row (test/support/cloudevents.ts).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import { dataSchemaCatalogue } from '../../../src/http/schemas.ts';
import { KINDS, kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { topicName } from '../../../src/kafka/topics.ts';
import { dataschemaUri, setDataschemaBase } from '../../../src/outbox/cloudevents.ts';
import { messageBuilder } from '../../../src/outbox/message.ts';
import { createPseudonymiser } from '../../../src/privacy/pseudonym.ts';
import { loadRegionDirectory } from '../../../src/regions/regions.ts';
import { assertNlGovCloudEvent } from '../../support/cloudevents.ts';
import { EXAMPLE_ADVICE, EXAMPLE_CASE_EVENT } from '../../support/fixtures.ts';
import { defaultPolicy } from '../../support/policy.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

const OIN = '00000001001234567000';
const regions = loadRegionDirectory();
const plan = createPolicyPlan(defaultPolicy(), kindSchemas(), '', createPseudonymiser('unit-test-pseudonym-key-0123456789abcdef', 'k1'), regions);
const deadLetterTopic = topicName('', 'case-event', 'dead-letter');
const catalogue = dataSchemaCatalogue({ plan, regions, topicPrefix: '', deadLetterTopic });
const schemaOf = (topic: string, type: string) => {
  const doc = catalogue.get(`${topic} ${type}`);
  expect(doc, `${topic} ${type}`).toBeDefined();
  return JSON.parse(doc!) as Record<string, unknown>;
};

describe('data schemas', () => {
  it('has one for every topic the plan sends to, and the dead-letter topic', () => {
    for (const topic of plan.topics())
      expect(
        [...catalogue.keys()].some((k) => k.startsWith(`${topic} `)),
        topic,
      ).toBe(true);
    expect(catalogue.has(`${deadLetterTopic} nl.justitieketen.zsm.case-event.quarantined`)).toBe(true);
  });

  for (const [kind, example] of [
    [KINDS.advice, EXAMPLE_ADVICE],
    [KINDS['case-event'], EXAMPLE_CASE_EVENT],
  ] as const) {
    it(`each recipient's view of the ${kind.name} example validates against its topic's schema, and nothing ungranted would`, () => {
      const bsn = kind.subjectBsn(example as never);
      const disclosures = plan.disclosuresFor({ kind: kind.name, record: example, subjectBsn: bsn });
      expect(disclosures.length).toBeGreaterThan(0);
      for (const d of disclosures) {
        const schema = schemaOf(d.topic, kind.eventType);
        expect(schema['$id']).toBe(dataschemaUri(d.topic, kind.eventType));
        const envelope = {
          recordId: '9b55328a-a04b-4485-b0ea-c8721eb3d40f',
          kind: kind.name,
          acceptedAt: '2026-11-28T16:11:02.587Z',
          disclosure: { legalBasis: 'x', purpose: 'y', policyVersion: '1' },
          record: d.view,
        };
        const validate = ajv.compile(schema);
        expect(validate(envelope), `${d.topic}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        // The schema is the allow-list: no member beyond the granted ones.
        const record = (schema['properties'] as Record<string, Record<string, unknown>>)['record']!;
        expect(record['additionalProperties']).toBe(false);
        const granted = new Set(
          plan.policy.kinds[kind.name]!.recipients[d.grant]!.fields
            ? Object.keys(plan.policy.kinds[kind.name]!.recipients[d.grant]!.fields).map((f) => f.split(/[.[]/)[0])
            : [],
        );
        for (const p of Object.keys((record['properties'] as object | undefined) ?? {})) expect(granted.has(p), `${d.topic}: ${p}`).toBe(true);
      }
    });
  }

  it('an expiry notice and a dead letter validate against theirs', () => {
    const topic = topicName('', 'advice', 'om-zsm');
    const expiry = ajv.compile(schemaOf(topic, 'nl.justitieketen.zsm.advice.expired'));
    const notice = {
      recordId: '9b55328a-a04b-4485-b0ea-c8721eb3d40f',
      kind: 'advice',
      adviceId: 'VH-1',
      version: 2,
      validUntil: '2026-12-01',
      expiredAt: '2026-12-02T00:00:00.000Z',
    };
    expect(expiry(notice), ajv.errorsText(expiry.errors)).toBe(true);
    const dead = ajv.compile(schemaOf(deadLetterTopic, 'nl.justitieketen.zsm.case-event.quarantined'));
    const letter = {
      quarantineId: '0b6c3d1e-5b7d-4e2a-9c6f-1a2b3c4d5e6f',
      reasonCode: 'BRIDGE_POLICY_REFUSED',
      reasons: [{ code: 'MUNICIPALITY_UNKNOWN', pointer: '/subject/municipalityCode' }],
      origin: 'kafka:zsm.case-events.v1/0/4711',
      quarantinedAt: '2026-12-03T09:12:44.120Z',
      eventId: null,
      subjectKey: null,
      href: '/v1/quarantine/0b6c3d1e-5b7d-4e2a-9c6f-1a2b3c4d5e6f',
    };
    expect(dead(letter), ajv.errorsText(dead.errors)).toBe(true);
  });
});

describe('the message builder', () => {
  it('gives every row the profile: source URN, type, time, dataschema under PUBLIC_BASE_URL', () => {
    setDataschemaBase('https://bridge.example.nl/');
    try {
      const topic = topicName('', 'advice', 'om-zsm');
      const row = messageBuilder(OIN)({
        about: { recordId: '9b55328a-a04b-4485-b0ea-c8721eb3d40f' },
        eventType: KINDS.advice.eventType,
        recipient: 'om-zsm',
        topic,
        messageKey: 'k1.AAAAAAAAAAAAAAAAAAAAAA',
        orderKey: 'x',
        time: '2026-11-28T16:11:02.587Z',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        payload: '{}',
      });
      expect(row.headers['ce_source']).toBe(`urn:nld:oin:${OIN}:systeem:gcos-zsm-bridge`);
      expect(row.headers['ce_dataschema']).toBe(`https://bridge.example.nl/v1/schemas/${topic}/nl.justitieketen.zsm.advice.accepted`);
      assertNlGovCloudEvent({ topic, key: row.messageKey, value: row.payload, headers: row.headers });
    } finally {
      setDataschemaBase('http://localhost:8080');
    }
  });
});

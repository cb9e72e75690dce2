// The NL GOV profile for CloudEvents (1.1), checked on a message as a recipient receives it: parsed with the
// CloudEvents SDK's Kafka binding (binary mode), then each rule of the profile that the bridge claims
// (docs/standards.md). readTopic runs it on every message it reads, so every test that reads a bridge topic checks
// every message the suite produces.
import { Kafka, type CloudEvent } from 'cloudevents';
import { expect } from 'vitest';
import { dataschemaPath } from '../../src/outbox/cloudevents.ts';

export interface WireMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PSEUDONYM = /^k[0-9]+\.[A-Za-z0-9_-]{22}$/;
const SOURCE = /^urn:nld:oin:[0-9]{20}:systeem:[a-z0-9-]+$/;
// Reverse-DNS under nl, lower case, words joined by hyphens; a version, if any, only once and only last.
const TYPE = /^nl(\.[a-z][a-z0-9-]*)+$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const TRACEPARENT = /^(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})?$/;
/** Every context attribute a bridge message may carry; anything else would be a new attribute to review. */
const ATTRIBUTES = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'dataschema',
  'datacontenttype',
  'data',
  'partitionkey',
  'data_base64',
  // Extension: the FSC transaction id (decision 0109).
  'fsctransactionid',
]);
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Headers outside the CloudEvents attributes, and the shape each must have (none can hold personal data). */
const OTHER_HEADERS: Record<string, RegExp> = {
  'content-type': /^application\/json$/,
  traceparent: TRACEPARENT,
  'x-quarantine-id': UUID,
  'x-quarantine-reason': /^[A-Z][A-Z0-9_]*$/,
  'x-quarantine-origin': /^[a-z]+:[A-Za-z0-9._-]+(\/\d+\/\d+)?$/,
};

/** Parses one message with the SDK and checks the profile's rules; returns the event. */
export function assertNlGovCloudEvent(m: WireMessage): CloudEvent<unknown> {
  const where = `${m.topic} ${m.headers['ce_id'] ?? '(no id)'}`;
  // The binding parses without validating; validate() then checks the attributes against CloudEvents 1.0.
  const message = { headers: m.headers, key: m.key, value: m.value, body: m.value };
  const event = Kafka.toEvent(message) as CloudEvent<unknown>;
  expect(event.validate(), where).toBe(true);
  expect(event.specversion, where).toBe('1.0');
  // id: a UUID, fixed at ingest (no meaning of its own: the profile asks it be said, docs/consuming.md).
  expect(event.id, where).toMatch(UUID);
  // source: urn:nld:oin:<OIN>:systeem:<name>.
  expect(event.source, where).toMatch(SOURCE);
  // type: reverse-DNS, at most one version, the version last.
  expect(event.type, where).toMatch(TYPE);
  const versions = event.type.split('.').filter((s) => /^v\d+$/.test(s));
  expect(versions.length, where).toBeLessThanOrEqual(1);
  if (versions.length === 1) expect(event.type.endsWith(`.${versions[0]}`), where).toBe(true);
  // time: RFC 3339, UTC, when the bridge logged the event (tests may run the bridge's clock ahead: no bound).
  expect(m.headers['ce_time'], where).toMatch(RFC3339_UTC);
  // dataschema: an absolute URI pointing at the bridge's schema of this topic's data of this type.
  const schema = new URL(event.dataschema ?? '');
  expect(schema.protocol, where).toMatch(/^https?:$/);
  expect(schema.pathname, where).toBe(dataschemaPath(m.topic, event.type));
  expect(event.datacontenttype, where).toBe('application/json');
  // fsctransactionid, when present: a UUIDv7 in lower case (Digikoppeling REST API profile).
  if (event['fsctransactionid'] !== undefined) expect(event['fsctransactionid'], where).toMatch(UUID_V7);
  // Attribute names: lower-case letters and digits, at most 20 characters; only the ones the bridge means to send.
  for (const [name, value] of Object.entries(event)) {
    if (value === undefined) continue;
    expect(name, where).toMatch(/^[a-z0-9_]{1,20}$/);
    expect(ATTRIBUTES.has(name), `${where}: unexpected attribute ${name}`).toBe(true);
  }
  // Nothing sensitive in a context attribute or any other header: every value has a shape that cannot hold a BSN,
  // a name or a birth date. The key is a pseudonym (a dead letter's: its quarantine id).
  for (const [name, value] of Object.entries(m.headers)) {
    if (name.startsWith('ce_')) continue;
    expect(OTHER_HEADERS[name], `${where}: unexpected header ${name}`).toBeDefined();
    expect(value, `${where}: header ${name}`).toMatch(OTHER_HEADERS[name]!);
  }
  expect(m.key, where).toMatch(event.type.endsWith('.quarantined') ? UUID : PSEUDONYM);
  expect(event.partitionkey ?? m.key, where).toBe(m.key);
  // data: JSON, as datacontenttype says.
  expect((): unknown => JSON.parse(m.value), where).not.toThrow();
  return event;
}

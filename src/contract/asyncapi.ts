// The AsyncAPI 3.0 document of every topic the bridge writes and reads, made from the same channels as the served
// data schemas (channels.ts): a message's payload is exactly the schema its ce_dataschema names (without `$id`),
// so the document and the schemas cannot disagree. Regional topics are one channel with a `{region}` parameter
// (decision 0112). asyncapi.yaml in the repository is this document for the shipped policy and no topic prefix
// (`npm run asyncapi:write`; a test fails when they drift); GET /v1/asyncapi.json serves the running bridge's.
import { readSchema } from '../ingest/schemas.ts';
import { KINDS } from '../ingest/kinds/index.ts';
import { dataschemaPath } from '../outbox/cloudevents.ts';
import { PSEUDONYM } from '../outbox/data-schemas.ts';
import { API_VERSION } from '../version.ts';
import { outgoingChannels, type ContractDeps, type OutgoingChannel, type Schema } from './channels.ts';
import { CLOUDEVENT_HEADERS, DEAD_LETTER_HEADERS, headersSchema, INBOUND_HEADERS } from './headers.ts';

export interface AsyncApiDeps extends ContractDeps {
  /** The inbound topic, prefix included (services.inboundTopic). */
  inboundTopic: string;
  inboundGroupId: string;
}

const KAFKA_BINDING = '0.5.0';
const INBOUND_CHANNEL = 'case-event.inbound';

const ref = (pointer: string): Schema => ({ $ref: pointer });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The schema as a message's payload: the served document without what names it. */
const payloadOf = ({ $schema: _s, $id: _i, ...rest }: Schema): Schema => rest;
/** A message's key within its channel: the last word of its type (accepted, expired, recorded, quarantined). */
const messageId = (type: string) => type.slice(type.lastIndexOf('.') + 1);

function messageHeaders(channel: OutgoingChannel, type: string): Schema {
  const region = channel.byRegion;
  const topic = region ? escape(region.address).replace('\\{region\\}', `(${region.recipients.map(escape).join('|')})`) : escape(channel.topics[0]!);
  const own = headersSchema(channel.keyedByPseudonym ? {} : DEAD_LETTER_HEADERS);
  const properties = {
    ce_type: { type: 'string', const: type },
    ce_dataschema: { type: 'string', pattern: `${escape(dataschemaPath('TOPIC', type)).replace('TOPIC', topic)}$` },
    ...(own['properties'] as Schema),
  };
  return { type: 'object', allOf: [ref('#/components/schemas/CloudEventHeaders'), { ...own, properties }] };
}

function outgoing(channel: OutgoingChannel): { channel: Schema; operation: Schema } {
  const key = ref(channel.keyedByPseudonym ? '#/components/schemas/SubjectPseudonym' : '#/components/schemas/QuarantineId');
  const messages: Record<string, Schema> = {};
  for (const m of channel.messages) {
    const payload = payloadOf(m.schema(''));
    messages[messageId(m.type)] = {
      name: m.type,
      title: payload['title'],
      summary: payload['description'],
      contentType: 'application/json',
      headers: messageHeaders(channel, m.type),
      payload,
      bindings: { kafka: { key, bindingVersion: KAFKA_BINDING } },
    };
  }
  const region = channel.byRegion;
  const body: Schema = {
    address: region ? region.address : channel.topics[0],
    title: channel.title,
    description: region
      ? `${channel.description} One topic per Zorg- en Veiligheidshuis region, each carrying the same view: subscribe to your region's.`
      : channel.description,
    messages,
    ...(region
      ? { parameters: { region: { enum: region.recipients, description: "The region's recipient id (data/veiligheidshuis-regions.json)." } } }
      : { bindings: { kafka: { topic: channel.topics[0], bindingVersion: KAFKA_BINDING } } }),
  };
  const operation: Schema = {
    action: 'send',
    channel: ref(`#/channels/${channel.id}`),
    summary: `The bridge sends ${channel.messages.map((m) => m.type).join(' and ')} to ${channel.grant}.`,
    messages: Object.keys(messages).map((id) => ref(`#/channels/${channel.id}/messages/${id}`)),
  };
  return { channel: body, operation };
}

function inbound(deps: AsyncApiDeps): { channel: Schema; operation: Schema } {
  const kind = KINDS['case-event'];
  const payload = payloadOf(readSchema(kind.schemaFile));
  return {
    channel: {
      address: deps.inboundTopic,
      title: 'ZSM case events to the bridge',
      description:
        'ZSM systems that publish to Kafka write case events here; the bridge takes each as if it were posted to POST /v1/case-events, commits the offset only after storing (or quarantining) it, and drops a repeated eventId.',
      messages: {
        caseEvent: {
          name: 'case-event',
          title: 'A ZSM case event',
          summary: 'The case event as JSON (schemas/case-event.v1.json); not a CloudEvent: the value is the event itself.',
          contentType: 'application/json',
          headers: headersSchema(INBOUND_HEADERS),
          payload,
          bindings: {
            kafka: {
              key: {
                type: ['string', 'null'],
                description:
                  'Not read by the bridge. Choose one that keeps a case in one partition (the ZSM case reference), never a BSN or other personal data: keys show in broker tools and logs.',
              },
              bindingVersion: KAFKA_BINDING,
            },
          },
        },
      },
      bindings: { kafka: { topic: deps.inboundTopic, bindingVersion: KAFKA_BINDING } },
    },
    operation: {
      action: 'receive',
      channel: ref(`#/channels/${INBOUND_CHANNEL}`),
      summary: 'The bridge reads ZSM case events; one it cannot take is quarantined and announced on the dead-letter channel.',
      messages: [ref(`#/channels/${INBOUND_CHANNEL}/messages/caseEvent`)],
      bindings: { kafka: { groupId: { type: 'string', enum: [deps.inboundGroupId] }, bindingVersion: KAFKA_BINDING } },
    },
  };
}

export function asyncApiDocument(deps: AsyncApiDeps): Schema {
  const channels: Record<string, Schema> = {};
  const operations: Record<string, Schema> = {};
  for (const c of outgoingChannels(deps)) {
    const { channel, operation } = outgoing(c);
    channels[c.id] = channel;
    operations[`send.${c.id}`] = operation;
  }
  const read = inbound(deps);
  channels[INBOUND_CHANNEL] = read.channel;
  operations[`receive.${INBOUND_CHANNEL}`] = read.operation;
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'gcos-zsm-bridge topics',
      version: API_VERSION,
      description:
        'Every Kafka topic the bridge writes and the one it reads. Each recipient has its own topic and receives only the fields the exchange policy grants it: ' +
        "a message's payload is that recipient's view, the same JSON Schema its ce_dataschema header points to. Messages are CloudEvents 1.0 in the Kafka binding's binary mode " +
        '(NL GOV profile): the attributes are headers, the data is the value. Delivery is at least once, in order per person per topic. docs/consuming.md explains how to read them.',
      'x-exchange-policy-version': deps.policy.version,
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      schemas: {
        CloudEventHeaders: headersSchema(CLOUDEVENT_HEADERS),
        SubjectPseudonym: {
          ...PSEUDONYM,
          description:
            "The key: the subject's keyed pseudonym in this recipient's domain, never a BSN. All messages about one person share it, and so a partition and their order; other recipients' keys for the same person differ.",
        },
        QuarantineId: { type: 'string', format: 'uuid', description: 'The key of a dead letter: its quarantine id, never anything from the message.' },
      },
    },
  };
}

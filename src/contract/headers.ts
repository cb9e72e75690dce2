// The Kafka headers of the bridge's messages, as JSON Schemas: the CloudEvents attributes in the Kafka binding's
// binary mode (src/outbox/cloudevents.ts sets them) and the headers beside them. The one place a header is
// declared for the AsyncAPI document: a new extension attribute is one more entry in CLOUDEVENT_HEADERS.
import type { Schema } from './channels.ts';

interface HeaderSpec {
  required: boolean;
  schema: Schema;
}

const UUID: Schema = { type: 'string', format: 'uuid' };

/** On every message the bridge sends. None can hold personal data. */
export const CLOUDEVENT_HEADERS: Record<string, HeaderSpec> = {
  ce_specversion: { required: true, schema: { type: 'string', const: '1.0', description: 'CloudEvents specversion.' } },
  ce_id: {
    required: true,
    schema: { ...UUID, description: 'A random UUID fixed when the message is made: the same on every resend; deduplicate on (ce_source, ce_id).' },
  },
  ce_source: {
    required: true,
    schema: {
      type: 'string',
      pattern: '^urn:nld:oin:[0-9]{20}:systeem:[a-z0-9-]+$',
      description: "The bridge that emitted the event: the operator's OIN and the system (NL GOV profile).",
    },
  },
  ce_type: { required: true, schema: { type: 'string', pattern: '^nl(\\.[a-z][a-z0-9-]*)+$', description: 'What happened, reverse-DNS (NL GOV profile).' } },
  ce_time: {
    required: true,
    schema: { type: 'string', format: 'date-time', description: 'When the bridge logged the event (accepted, expired or quarantined), UTC.' },
  },
  ce_dataschema: {
    required: true,
    schema: {
      type: 'string',
      format: 'uri',
      description:
        "`{PUBLIC_BASE_URL}/v1/schemas/{topic}/{type}`: the JSON Schema of this message's value, served without credentials; equal to this message's payload schema here.",
    },
  },
  'content-type': { required: true, schema: { type: 'string', const: 'application/json', description: 'The CloudEvents datacontenttype.' } },
  traceparent: {
    required: true,
    schema: {
      type: 'string',
      pattern: '^(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})?$',
      description: "W3C Trace Context of the submitter's request when it sent one; empty otherwise.",
    },
  },
  ce_fsctransactionid: {
    required: false,
    schema: {
      type: 'string',
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
      description:
        'CloudEvents extension `fsctransactionid`: the FSC transaction id (UUIDv7) of the request or inbound message that caused the event; absent on what the bridge does by itself (expiry notices).',
    },
  },
};

/** Beside the CloudEvents attributes on a dead letter (src/inbound/take-case-event.ts). */
export const DEAD_LETTER_HEADERS: Record<string, HeaderSpec> = {
  'x-quarantine-id': { required: true, schema: { ...UUID, description: 'The quarantine entry (GET /v1/quarantine/{id}); also the key.' } },
  'x-quarantine-reason': {
    required: true,
    schema: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'The problem code of the refusal (src/errors.ts).' },
  },
  'x-quarantine-origin': {
    required: true,
    schema: {
      type: 'string',
      pattern: '^[a-z]+:[A-Za-z0-9._-]+(/\\d+/\\d+)?$',
      description: 'Where the message came from: `kafka:<topic>/<partition>/<offset>`.',
    },
  },
};

/** What the bridge reads of an inbound message's headers: the trace context and the FSC transaction id, when there. */
export const INBOUND_HEADERS: Record<string, HeaderSpec> = {
  traceparent: {
    required: false,
    schema: { type: 'string', description: 'W3C Trace Context; the bridge continues the trace. Other headers are ignored.' },
  },
  ce_fsctransactionid: {
    required: false,
    schema: {
      type: 'string',
      description: 'The FSC transaction id (UUIDv7); carried on to what the bridge sends, or a new one made when absent or malformed.',
    },
  },
};

/** An object schema of headers; open, because a consumer ignores headers it does not know. */
export function headersSchema(headers: Record<string, HeaderSpec>, extra: Schema = {}): Schema {
  const required = Object.entries(headers)
    .filter(([, h]) => h.required)
    .map(([name]) => name);
  return {
    type: 'object',
    ...extra,
    properties: Object.fromEntries(Object.entries(headers).map(([name, h]) => [name, h.schema])),
    ...(required.length > 0 && { required }),
  };
}

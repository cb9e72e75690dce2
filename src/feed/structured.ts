// An outbox row as a structured-mode CloudEvent (JSON event format), for the feed's
// application/cloudevents-batch+json. The stored headers are the Kafka binding's (ce_ attributes, content-type);
// the binding's mapping is undone: ce_<name> is the attribute <name>, content-type is datacontenttype, the key is
// the partitionkey extension (the subject's pseudonym, for order per subject). `data` is the stored payload
// parsed, byte for byte the value the topic carries, so the topic's data schema holds for it.
// A page is sent as text built once per read (feedPageBody): every client answered from one shared read gets the
// same bytes, and the payload, already JSON, is spliced in as stored rather than parsed and written again.
import type { FeedEvent } from '../store/feed-repo.ts';

export type StructuredEvent = Record<string, unknown> & { specversion: string; id: string; data: unknown };

const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

export function structuredEvent(e: FeedEvent): StructuredEvent {
  const out = attributes(e);
  out['data'] = JSON.parse(e.payload) as unknown;
  return out as StructuredEvent;
}

const bodies = new WeakMap<readonly FeedEvent[], Buffer>();

/** The page as application/cloudevents-batch+json: the JSON array of structuredEvent of each, built once per
 * array of events (a shared read's answer). */
export function feedPageBody(events: readonly FeedEvent[]): Buffer {
  let body = bodies.get(events);
  if (body === undefined) {
    const parts = events.map((e) => `${JSON.stringify(attributes(e)).slice(0, -1)},"data":${e.payload}}`);
    body = Buffer.from(`[${parts.join(',')}]`);
    bodies.set(events, body);
  }
  return body;
}

/** Every attribute but data (never empty: partitionkey is always there). */
function attributes(e: FeedEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(e.headers)) {
    if (name.startsWith('ce_')) out[name.slice(3)] = value;
    else if (name === 'content-type') out['datacontenttype'] = value;
    else if (EXTENSION_NAME.test(name) && value !== '') out[name] = value; // traceparent (Distributed Tracing extension)
  }
  out['specversion'] ??= '1.0';
  out['id'] ??= e.eventId;
  out['partitionkey'] = e.messageKey;
  return out;
}

// A stored message as a CloudEvent in structured mode (JSON event format): the body of a webhook delivery, and each
// event of a pull-feed page. Its attributes are those the Kafka message carries as ce_ headers, `data` the stored
// payload (exactly the recipient's view), and the subject's pseudonym for this recipient as `partitionkey`
// (CloudEvents partitioning extension), by which a receiver keeps per-subject order as a Kafka consumer does by key.

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';

export interface OutgoingEvent {
  eventId: string;
  messageKey: string;
  headers: Record<string, string>;
  payload: string;
}

export function structuredBody(e: OutgoingEvent): string {
  const attributes: Record<string, unknown> = { specversion: '1.0', id: e.eventId };
  for (const [name, value] of Object.entries(e.headers)) {
    if (name.startsWith('ce_')) attributes[name.slice(3)] = value;
  }
  attributes['datacontenttype'] = e.headers['content-type'] ?? 'application/json';
  if (e.headers['traceparent']) attributes['traceparent'] = e.headers['traceparent'];
  attributes['partitionkey'] = e.messageKey;
  // The payload is stored as JSON text; `data` carries it as JSON, not as a string within a string.
  return `${JSON.stringify(attributes).slice(0, -1)},"data":${e.payload}}`;
}

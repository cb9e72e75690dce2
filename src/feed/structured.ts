// A feed page (application/cloudevents-batch+json): a JSON array of the events as structured-mode CloudEvents,
// each exactly as a webhook delivers it (src/outbox/structured-event.ts). The page is built once per read: every
// client answered from one shared read gets the same bytes.
import { structuredBody } from '../outbox/structured-event.ts';
import type { FeedEvent } from '../store/feed-repo.ts';

const bodies = new WeakMap<readonly FeedEvent[], Buffer>();

/** The page's body, built once per array of events (a shared read's answer). */
export function feedPageBody(events: readonly FeedEvent[]): Buffer {
  let body = bodies.get(events);
  if (body === undefined) {
    body = Buffer.from(`[${events.map(structuredBody).join(',')}]`);
    bodies.set(events, body);
  }
  return body;
}

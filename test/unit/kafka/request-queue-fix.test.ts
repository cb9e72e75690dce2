// kafkajs's request queue, as src/kafka/request-queue-fix.ts leaves it: idle, it arms no timer (kafkajs 2.2.4 armed
// a 1 ms one after every check, forever); with requests pending or a throttle to wait out, it still does.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/kafka/request-queue-fix.ts';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as new (o: object) => Queue;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const made: Queue[] = [];
const queue = () => {
  const q = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 1_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'b:9092',
    logger: quiet,
  });
  made.push(q);
  return q;
};
afterEach(() => {
  for (const q of made.splice(0)) q.destroy();
});

describe('kafkajs request queue (patched)', () => {
  it('arms no timer when nothing is pending and nothing is throttled', () => {
    const q = queue();
    q.checkPendingRequests(); // what a connection does after every response
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still arms one for pending requests and for a throttle to wait out', () => {
    const pending = queue();
    pending.pending.push({ held: 'back by the in-flight limit' });
    pending.scheduleCheckPendingRequests();
    expect(pending.throttleCheckTimeoutId).not.toBeNull();
    pending.pending.length = 0;

    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
  });
});

// kafkajs 2.2.4, its last release, keeps every broker connection checking its request queue every millisecond,
// forever: `scheduleCheckPendingRequests` arms a timer even when nothing is pending and nothing is throttled, with
// a negative delay (`-1 - Date.now()`) that Node turns into 1 ms (and, from Node 23, reports as a
// TimeoutNegativeWarning). Even an idle bridge so wakes its event loop all the time and spends CPU on it,
// interleaved with every request. Upstream: kafkajs issues #1556, #1704 and #1751, fixes proposed in #1667 and
// #1768, none released. This replaces that one method with the proposed fix: with nothing pending and no
// throttle to wait out, arm nothing. A request that cannot go out at once is pushed to `pending`, and `push`
// calls this method again, so it is checked as before; a throttle still gets its timer.
import { createRequire } from 'node:module';

interface RequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const CHECK_PENDING_REQUESTS_INTERVAL = 10; // kafkajs's own, for pending requests held back by in-flight limits

const require = createRequire(import.meta.url);
// The module kafkajs's connections load (the same file, so the same class, from Node's module cache).
const queue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: Partial<RequestQueue> } | undefined;
if (typeof queue?.prototype.scheduleCheckPendingRequests !== 'function' || typeof queue.prototype.checkPendingRequests !== 'function') {
  // Another kafkajs than 2.2.4: look at its request queue before starting without this fix.
  throw new Error('kafkajs request queue not as expected (src/kafka/request-queue-fix.ts)');
}

queue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  let delay: number;
  if (this.pending.length > 0) delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL;
  else if (untilUnthrottled > 0) delay = untilUnthrottled;
  else return; // nothing to send and no throttle to wait out: nothing to check
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
};

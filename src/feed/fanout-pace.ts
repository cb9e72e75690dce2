// Pacing of one recipient's feed reads when several clients read it (fan-out). A client answered at once comes
// straight back for the next page; with many clients on one feed, each then read, wrote a disclosure and sent a
// page for every commit, and the feed took the event loop and the pool from the ingest (decision 0113). Reads of a
// recipient are spaced so that its clients together get at most `pagesPerSecond` pages: every request that comes
// within a spacing joins the next read, and the requests of one read at the same cursor share it (read-feed.ts).
// A recipient with one client is not spaced: its pages come as soon as its events are committed.

export interface FanoutPace {
  /** Counts a request of the recipient from now until `done` is called. */
  enter(recipient: string): () => void;
  /** Resolves when the recipient's next read may start: at once, or at the read its other clients wait for. */
  turn(recipient: string): Promise<void> | undefined;
}

// Clients are counted as the most requests of a recipient under way at once, over the current and the previous
// window: a client between two pages is still one of them.
const WINDOW_MS = 1_000;
// Requests that come while a read is starting (woken by the same commit, in the same turn of the event loop)
// join it rather than wait for the next.
const JOIN_MS = 2;
const MAX_SPACING_MS = 1_000;

interface Feed {
  active: number;
  peak: number;
  previousPeak: number;
  windowStart: number;
  lastRead: number;
  next: Promise<void> | null;
}

/** `now` in milliseconds, for tests. The map holds one entry per recipient read, and a client reads only the
 * recipients it is bound to (checked before the feed is read), so it cannot grow past the configured ones. */
export function createFanoutPace(pagesPerSecond: number, now: () => number = () => performance.now()): FanoutPace {
  const feeds = new Map<string, Feed>();

  const feedOf = (recipient: string): Feed => {
    let f = feeds.get(recipient);
    if (!f) feeds.set(recipient, (f = { active: 0, peak: 0, previousPeak: 0, windowStart: now(), lastRead: -Infinity, next: null }));
    const t = now();
    if (t - f.windowStart >= WINDOW_MS) {
      f.previousPeak = t - f.windowStart >= 2 * WINDOW_MS ? f.active : f.peak;
      f.peak = f.active;
      f.windowStart = t;
    }
    return f;
  };

  return {
    enter(recipient) {
      const f = feedOf(recipient);
      f.active += 1;
      f.peak = Math.max(f.peak, f.active);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        f.active -= 1;
      };
    },
    turn(recipient) {
      const f = feedOf(recipient);
      if (f.next) return f.next;
      const clients = Math.max(f.peak, f.previousPeak);
      const spacing = clients <= 1 ? 0 : Math.min(MAX_SPACING_MS, (1_000 * (clients - 1)) / pagesPerSecond);
      const t = now();
      const since = t - f.lastRead;
      if (since >= spacing) {
        f.lastRead = t;
        return undefined;
      }
      if (since < JOIN_MS) return undefined;
      f.next = new Promise<void>((resolve) =>
        setTimeout(() => {
          f.lastRead = now();
          f.next = null;
          resolve();
        }, spacing - since),
      );
      return f.next;
    },
  };
}

// One LISTEN per process on the outbox channel, shared by every waiting feed request (and any other reader of new
// outbox rows, such as a webhook deliverer): a commit wakes them all at once instead of each polling the
// database. Notifications that arrive together wake subscribers once. While the connection is down, subscribers
// are woken every second instead, so that nothing waits on a channel that cannot ring.
import type { Logger } from '../logger.ts';
import { listenForOutbox } from '../store/outbox-repo.ts';
import { createSessionClient, type SessionClient } from '../store/pool.ts';

export interface FeedWake {
  /** Calls `fn` after each commit of outbox rows (coalesced); returns the unsubscribe. */
  subscribe(fn: () => void): () => void;
  /** Wakes subscribers now: this process just committed outbox rows, and their NOTIFY comes back a little later. */
  nudge(): void;
  /** Resolves true at the next wake, false when `ms` pass or `signal` aborts first. */
  next(ms: number, signal?: AbortSignal): Promise<boolean>;
  /** How many subscribers wait now. */
  size(): number;
  /** Wakes every subscriber and closes the connection. */
  close(): Promise<void>;
}

const RECONNECT_MS = 1_000;

export function createFeedWake(databaseUrl: string, logger: Logger): FeedWake {
  const subscribers = new Set<() => void>();
  let client: SessionClient | null = null;
  let connecting: Promise<void> | null = null;
  let fallback: NodeJS.Timeout | null = null;
  let pending = false;
  let closed = false;

  const wakeAll = () => {
    pending = false;
    for (const fn of [...subscribers]) fn();
  };
  const wakeSoon = () => {
    if (pending) return;
    pending = true;
    setImmediate(wakeAll);
  };
  const startFallback = () => {
    fallback ??= setInterval(wakeSoon, RECONNECT_MS).unref();
  };
  const stopFallback = () => {
    if (fallback) clearInterval(fallback);
    fallback = null;
  };

  const connect = async (): Promise<void> => {
    const c = createSessionClient(databaseUrl, 'gcos-zsm-bridge feed');
    c.on('notification', wakeSoon);
    c.on('error', (err) => {
      logger.warn({ err: { message: err.message } }, 'feed listener connection lost');
      if (client === c) client = null;
      void c.end().catch(() => undefined);
      startFallback();
      wakeSoon();
      if (!closed && subscribers.size > 0) setTimeout(() => void ensure(), RECONNECT_MS).unref();
    });
    try {
      await c.connect();
      await listenForOutbox(c);
    } catch (err) {
      logger.warn({ err: { message: (err as Error).message } }, 'feed listener cannot connect; waking waiters every second');
      void c.end().catch(() => undefined);
      startFallback();
      if (!closed) setTimeout(() => void ensure(), RECONNECT_MS).unref();
      return;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    stopFallback();
    // Rows may have committed while no one listened.
    wakeSoon();
  };
  const ensure = (): Promise<void> => {
    if (closed || client) return Promise.resolve();
    connecting ??= connect().finally(() => (connecting = null));
    return connecting;
  };

  const subscribe = (fn: () => void) => {
    subscribers.add(fn);
    void ensure();
    return () => void subscribers.delete(fn);
  };

  return {
    subscribe,
    next(ms, signal) {
      return new Promise<boolean>((resolve) => {
        if (closed || signal?.aborted) return resolve(false);
        const done = (woken: boolean) => {
          clearTimeout(timer);
          unsubscribe();
          signal?.removeEventListener('abort', onAbort);
          resolve(woken);
        };
        const onAbort = () => done(false);
        const timer = setTimeout(() => done(false), ms);
        const unsubscribe = subscribe(() => done(true));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    nudge: () => {
      // Every ingest commit calls this; with no feed client waiting there is nothing to schedule.
      if (subscribers.size > 0) wakeSoon();
    },
    size: () => subscribers.size,
    async close() {
      closed = true;
      stopFallback();
      wakeAll();
      await connecting;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

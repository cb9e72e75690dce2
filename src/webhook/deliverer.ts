// Webhook push (decision 0111). Per subscription one worker, on one replica (an advisory lock held on this
// process's session connection): it reads the recipient's feed after the subscription's cursor and sends one
// event at a time, in feed order, each until a 2xx or until its deadline; only then does the cursor move on
// (delivered, or dead-lettered with the reason). So order per subject holds as far as the receiver answers, at
// least once (a takeover re-sends the event in hand, same webhook-id), and a slow or failing receiver holds only
// its own subscription: each worker is its own loop and its own HTTP requests.
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { readFeed, type FeedEvent } from '../store/feed-repo.ts';
import { tryLockSubscription, unlockSubscription } from '../store/locks.ts';
import { createSessionClient, type Pool, type SessionClient } from '../store/pool.ts';
import {
  allSubscriptions,
  deadLetterFeedEvent,
  findSubscription,
  listenForOutbox,
  markFeedDelivered,
  nextRedrive,
  noteAttemptFailed,
  settleRedrive,
  type SubscriptionRow,
} from '../store/webhook-repo.ts';
import { nextAttemptIn, type BackoffSettings } from './backoff.ts';
import type { OutgoingEvent } from '../outbox/structured-event.ts';
import type { SecretBox } from './secrets.ts';
import { sendWebhook, type SenderSettings } from './sender.ts';

const RESCAN_MS = 1_000; // how soon a new subscription, or one a stopped replica left, is taken up
const BATCH = 100;

export interface DelivererOptions {
  databaseUrl: string;
  pool: Pool;
  metrics: Metrics;
  logger: Logger;
  secrets: SecretBox;
  backoff: BackoffSettings;
  sender: Omit<SenderSettings, 'signal'>;
  pollIntervalMs: number;
  replicaId?: string;
}

export interface WebhookDeliverer {
  start(): void;
  /** Aborts attempts under way (their events are sent again later), releases the subscriptions and returns. */
  stop(): Promise<void>;
  /** New outbox rows were committed by this process. */
  nudge(): void;
  /** Subscriptions this replica delivers. */
  held(): string[];
}

interface Worker {
  abort: AbortController;
  wake: () => void;
  done: Promise<void>;
}

type Delivery = { delivered: true } | { delivered: false; reason: string; attempts: number; firstAttemptAt: Date } | 'aborted';

export function createWebhookDeliverer(o: DelivererOptions): WebhookDeliverer {
  const log = o.logger.child({ component: 'webhook' });
  const workers = new Map<string, Worker>();
  let session: SessionClient | undefined;
  let stopping = false;
  let running: Promise<void> | undefined;
  let wakeManager: (() => void) | undefined;

  function wakeAll(): void {
    for (const w of workers.values()) w.wake();
  }

  async function openSession(): Promise<SessionClient> {
    if (session) return session;
    const c = createSessionClient(o.databaseUrl, `gcos-zsm-bridge-webhook${o.replicaId ? ` ${o.replicaId}` : ''}`.slice(0, 63));
    c.on('error', (err) => log.warn({ err: { message: err.message } }, 'webhook connection lost; subscriptions released'));
    c.on('end', () => {
      if (session === c) void dropSession();
    });
    c.on('notification', wakeAll);
    await c.connect();
    await listenForOutbox(c);
    session = c;
    return c;
  }

  /** The locks went with the connection: another replica may take the subscriptions now, so stop every worker. */
  async function dropSession(): Promise<void> {
    const c = session;
    session = undefined;
    await stopWorkers([...workers.keys()]);
    c?.end().catch(() => undefined);
  }

  async function stopWorkers(ids: string[]): Promise<void> {
    const stopped = ids.map((id) => workers.get(id)).filter((w): w is Worker => w !== undefined);
    for (const w of stopped) w.abort.abort();
    await Promise.all(stopped.map((w) => w.done));
    for (const id of ids) {
      workers.delete(id);
      o.metrics.webhookLag.remove({ subscription: id });
      o.metrics.webhookOpenDeadLetters.remove({ subscription: id });
    }
  }

  async function rescan(c: SessionClient): Promise<void> {
    const subscriptions = await allSubscriptions(o.pool);
    const present = new Set(subscriptions.map((s) => s.id));
    const gone = [...workers.keys()].filter((id) => !present.has(id));
    if (gone.length > 0) {
      await stopWorkers(gone);
      for (const id of gone) await unlockSubscription(c, id);
    }
    for (const s of subscriptions) {
      if (workers.has(s.id) || stopping) continue;
      if (!(await tryLockSubscription(c, s.id))) continue;
      log.info({ subscription: s.id, recipient: s.recipient }, 'webhook subscription taken');
      workers.set(s.id, startWorker(s.id));
    }
  }

  async function manage(): Promise<void> {
    let backoffMs = 0;
    while (!stopping) {
      try {
        await rescan(await openSession());
        backoffMs = 0;
      } catch (err) {
        backoffMs = Math.min(30_000, backoffMs === 0 ? 500 : backoffMs * 2);
        log.warn({ err: { message: (err as Error).message }, retryInMs: backoffMs }, 'webhook subscriptions cannot be read; reconnecting');
        await dropSession();
      }
      await sleep(backoffMs || RESCAN_MS, undefined, (w) => (wakeManager = w));
    }
  }

  function startWorker(id: string): Worker {
    const abort = new AbortController();
    let wakeNow: (() => void) | undefined;
    let woken = false;
    const worker: Worker = {
      abort,
      wake: () => {
        woken = true;
        wakeNow?.();
      },
      done: Promise.resolve(),
    };
    worker.done = (async () => {
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          const sub = await findSubscription(o.pool, null, id);
          if (!sub) return; // deleted: the next rescan releases its lock
          o.metrics.webhookOpenDeadLetters.set({ subscription: id }, sub.openDeadLetters);
          woken = false;
          const worked = await deliverSome(sub, abort.signal);
          failures = 0;
          if (!worked && !woken) await sleep(o.pollIntervalMs, abort.signal, (w) => (wakeNow = w));
        } catch (err) {
          failures++;
          log.warn({ subscription: id, err: { message: (err as Error).message } }, 'webhook delivery step failed; will retry');
          await sleep(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)), abort.signal);
        }
      }
    })();
    return worker;
  }

  /** Re-drives first, then the feed after the cursor; false when there was nothing to send. */
  async function deliverSome(sub: SubscriptionRow, signal: AbortSignal): Promise<boolean> {
    const secret = o.secrets.open(sub.secretSealed);
    const redrive = await nextRedrive(o.pool, sub.id);
    if (redrive) {
      const { deadLetter } = redrive;
      if (!redrive.event) {
        await settleRedrive(o.pool, sub.id, deadLetter.eventId, { reason: 'the event is no longer held (outbox retention)', attempts: 0 });
        return true;
      }
      const result = await deliver(sub, secret, { eventId: deadLetter.eventId, ...redrive.event }, new Date(), signal);
      if (result === 'aborted') return true;
      await settleRedrive(o.pool, sub.id, deadLetter.eventId, result.delivered ? undefined : { reason: result.reason, attempts: result.attempts });
      o.metrics.webhookDeliveries.inc({ outcome: result.delivered ? 'redelivered' : 'dead-letter' });
      return true;
    }
    const client = await o.pool.connect();
    let events: FeedEvent[];
    try {
      events = await readFeed(client, sub.recipient, sub.cursor, BATCH, { types: sub.eventTypes });
    } finally {
      client.release();
    }
    if (events.length === 0) {
      o.metrics.webhookLag.set({ subscription: sub.id }, 0);
      return false;
    }
    for (const e of events) {
      if (signal.aborted) return true;
      o.metrics.webhookLag.set({ subscription: sub.id }, Math.max(0, (Date.now() - e.createdAt.getTime()) / 1000));
      // The deadline counts from the event's commit, not from its first attempt: events wait in line behind one
      // another, and a receiver that is down must not make each of them wait a full deadline in turn. It also
      // holds across restarts and takeovers.
      const result = await deliver(sub, secret, e, e.createdAt, signal);
      if (result === 'aborted') return true;
      if (result.delivered) {
        if (!(await markFeedDelivered(o.pool, sub.id, e.position))) return true;
        o.metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      } else {
        await deadLetterFeedEvent(o.pool, sub.id, e.position, {
          eventId: e.eventId,
          recordId: e.recordId,
          eventType: e.eventType,
          reason: result.reason,
          attempts: result.attempts,
          firstAttemptAt: result.firstAttemptAt,
        });
        o.metrics.webhookDeliveries.inc({ outcome: 'dead-letter' });
        log.warn({ subscription: sub.id, eventId: e.eventId, reason: result.reason, attempts: result.attempts }, 'webhook event dead-lettered');
      }
    }
    return true;
  }

  /** Attempts one event until a 2xx, its deadline (counted from `since`), or an abort. */
  async function deliver(sub: SubscriptionRow, secret: string, e: OutgoingEvent, since: Date, signal: AbortSignal): Promise<Delivery> {
    const firstAttemptAt = new Date();
    for (let attempt = 1; ; attempt++) {
      const outcome = await sendWebhook({ url: sub.url, secret }, e, { ...o.sender, signal });
      if (signal.aborted) return 'aborted';
      o.metrics.webhookAttempts.inc({ outcome: outcome.ok ? 'delivered' : outcome.reason });
      if (outcome.ok) return { delivered: true };
      await noteAttemptFailed(o.pool, sub.id, e.eventId, outcome.detail);
      const wait = nextAttemptIn(attempt, since.getTime(), Date.now(), o.backoff);
      if (wait === undefined) return { delivered: false, reason: outcome.detail, attempts: attempt, firstAttemptAt };
      await sleep(wait, signal);
      if (signal.aborted) return 'aborted';
    }
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      running = manage();
    },
    async stop() {
      stopping = true;
      wakeManager?.();
      await running;
      running = undefined;
      const c = session;
      session = undefined;
      await stopWorkers([...workers.keys()]);
      // Closing the connection releases every subscription's lock.
      await c?.end().catch(() => undefined);
    },
    nudge: wakeAll,
    held: () => [...workers.keys()].sort(),
  };
}

/** Waits `ms`, or less when aborted or woken (`onWake` receives the function that wakes it). */
function sleep(ms: number, signal?: AbortSignal, onWake?: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    onWake?.(done);
  });
}

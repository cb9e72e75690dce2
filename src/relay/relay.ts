// The outbox relay, as small steps: hold slots -> claim -> send -> mark -> wait. It runs on one dedicated
// connection that holds the slots' advisory locks, so a replica that loses its connection loses its slots
// and its open claim in the same instant, and another replica takes over. Live replicas share the slots evenly
// (decision 0080): a replica above its share gives slots back between batches, one below takes free ones.
import { describeKafkaError, isRetriableKafkaError } from '../kafka/errors.ts';
import type { DeliveryProducer, OutgoingMessage } from '../kafka/producer.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { claimPending, markDelivered, markFailed, OUTBOX_CHANNEL, type ClaimedRow } from '../store/outbox-repo.ts';
import { createSessionClient, type SessionClient } from '../store/pool.ts';
import { countRelays, fairShare, joinRelays } from './slot-share.ts';
import { SLOT_COUNT } from './slots.ts';

const SLOT_LOCK_NAMESPACE = 7_361_002; // first key of the two-key advisory locks that guard slots
// Per topic, not per send: the broker's limit (message.max.bytes, 1 MiB by default) applies to each partition's
// record batch, and a partition's batch is never larger than its topic's share. A cap on the whole send (512 KiB
// before) let a claim of 500 real advices (about 3.5 KB each) go out in four rounds; the bench showed it.
const MAX_TOPIC_BYTES = 768 * 1024;
const SLOT_RESCAN_MS = 1_000; // bounds how long a dead replica's slots stay unrelayed (plus the time to notice it)

export interface RelayOptions {
  databaseUrl: string;
  batchSize: number;
  sendTimeoutMs: number;
  pollIntervalMs: number;
  maxBackoffMs: number;
  /** Slots this replica may hold; all by default. Lets tests and operators split the work. */
  slots?: number[];
  /** Who this replica is (host:pid), in the session's application_name: pg_stat_activity shows who holds a slot. */
  replicaId?: string;
}

export interface Relay {
  start(): void;
  /** Finishes the batch in hand, releases the slots and returns. */
  stop(): Promise<void>;
  ownedSlots(): number[];
}

export function createRelay(producer: DeliveryProducer, metrics: Metrics, logger: Logger, options: RelayOptions): Relay {
  const log = logger.child({ component: 'relay' });
  const wanted = options.slots ?? Array.from({ length: SLOT_COUNT }, (_, i) => i);
  const owned = new Set<number>();
  let client: SessionClient | undefined;
  let stopping = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let lastSlotScan = 0;
  let backoffMs = 0;

  async function openSession(): Promise<SessionClient> {
    if (client) return client;
    const c = createSessionClient(options.databaseUrl, `gcos-zsm-bridge-relay${options.replicaId ? ` ${options.replicaId}` : ''}`.slice(0, 63));
    c.on('error', (err) => log.warn({ err: { message: err.message } }, 'relay connection lost; slots released'));
    c.on('end', () => {
      if (client === c) dropSession();
    });
    c.on('notification', () => wake?.());
    await c.connect();
    await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
    await joinRelays(c);
    client = c;
    lastSlotScan = 0;
    return c;
  }

  function dropSession(): void {
    const c = client;
    client = undefined;
    owned.clear();
    metrics.relayOwnedSlots.set(0);
    // Closing the connection is what releases the advisory locks (and rolls back an open claim).
    c?.end().catch(() => undefined);
  }

  async function acquireSlots(c: SessionClient): Promise<void> {
    if (Date.now() - lastSlotScan < SLOT_RESCAN_MS) return;
    lastSlotScan = Date.now();
    const share = Math.min(wanted.length, fairShare(SLOT_COUNT, await countRelays(c)));
    if (owned.size > share) {
      // Between batches: every claim of these slots is committed, so the next holder starts from the oldest
      // pending row, after everything this replica sent. Order per subject holds across the hand-over.
      const giveBack = [...owned].sort((a, b) => b - a).slice(0, owned.size - share);
      await c.query(/* sql */ `SELECT pg_advisory_unlock($2, s) FROM unnest($1::int[]) AS s`, [giveBack, SLOT_LOCK_NAMESPACE]);
      for (const s of giveBack) owned.delete(s);
      log.info({ released: giveBack.length, owned: owned.size }, 'relay slots given back to share them');
    } else if (owned.size < share) {
      const free = wanted.filter((s) => !owned.has(s));
      // One statement, so at most `share - owned` locks are taken: the LIMIT stops the scan once enough succeed.
      const { rows } = await c.query<{ slot: number }>(
        /* sql */ `SELECT s AS slot FROM unnest($1::int[]) AS s WHERE pg_try_advisory_lock($2, s) LIMIT $3`,
        [free, SLOT_LOCK_NAMESPACE, share - owned.size],
      );
      for (const r of rows) owned.add(r.slot);
      if (rows.length > 0) log.info({ acquired: rows.length, owned: owned.size }, 'relay slots acquired');
    }
    metrics.relayOwnedSlots.set(owned.size);
  }

  /** One claim-send-mark round; returns how many messages were delivered. */
  async function relayOnce(c: SessionClient): Promise<number> {
    if (owned.size === 0) return 0;
    await c.query('BEGIN');
    try {
      const claimed = await claimPending(c, [...owned], options.batchSize);
      const batch = withinBytes(claimed);
      if (batch.length === 0) {
        await c.query('COMMIT');
        return 0;
      }
      const ids = batch.map((r) => r.id);
      const started = process.hrtime.bigint();
      try {
        await producer.send(batch.map(toMessage), options.sendTimeoutMs);
      } catch (err) {
        const retriable = isRetriableKafkaError(err);
        metrics.relayFailures.inc({ reason: retriable ? 'retriable' : 'fatal' });
        await markFailed(c, ids, describeKafkaError(err));
        await c.query('COMMIT');
        throw new RelaySendError(err, retriable);
      }
      metrics.relayLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
      await markDelivered(c, ids);
      await c.query('COMMIT');
      metrics.relaySent.inc(batch.length);
      return batch.length;
    } catch (err) {
      if (!(err instanceof RelaySendError)) await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        const c = await openSession();
        await acquireSlots(c);
        const sent = await relayOnce(c);
        backoffMs = 0;
        if (sent === 0) await waitForWake(options.pollIntervalMs);
      } catch (err) {
        backoffMs = Math.min(options.maxBackoffMs, backoffMs === 0 ? 200 : backoffMs * 2);
        if (err instanceof RelaySendError) {
          log.warn({ cause: describeKafkaError(err.cause), retriable: err.retriable, retryInMs: backoffMs }, 'relay send failed; will resend');
        } else {
          log.warn({ err: { message: (err as Error).message }, retryInMs: backoffMs }, 'relay database step failed; reconnecting');
          dropSession();
        }
        await waitForWake(backoffMs, true);
      }
    }
  }

  function waitForWake(ms: number, ignoreNotifications = false): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        if (wake === done) wake = undefined;
        resolve();
      }
      // During a backoff only stop() may cut the wait short; a burst of new rows must not defeat the backoff.
      wake = ignoreNotifications ? () => (stopping ? done() : undefined) : done;
    });
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      running = loop();
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
      if (client) {
        const c = client;
        client = undefined;
        owned.clear();
        metrics.relayOwnedSlots.set(0);
        await c.end().catch(() => undefined);
      }
    },
    ownedSlots: () => [...owned].sort((a, b) => a - b),
  };
}

class RelaySendError extends Error {
  readonly retriable: boolean;
  constructor(cause: unknown, retriable: boolean) {
    super('relay send failed', { cause });
    this.retriable = retriable;
  }
}

function withinBytes(rows: ClaimedRow[]): ClaimedRow[] {
  const bytes = new Map<string, number>();
  const out: ClaimedRow[] = [];
  for (const r of rows) {
    const topicBytes = (bytes.get(r.topic) ?? 0) + Buffer.byteLength(r.payload) + 512;
    // Always at least one row; a prefix keeps the order. The rest is unlocked at commit and taken next round.
    if (out.length > 0 && topicBytes > MAX_TOPIC_BYTES) break;
    bytes.set(r.topic, topicBytes);
    out.push(r);
  }
  return out;
}

function toMessage(r: ClaimedRow): OutgoingMessage {
  return { topic: r.topic, key: r.messageKey, value: r.payload, headers: r.headers };
}

// The outbox relay, as small steps: hold slots -> claim -> send -> mark -> wait. It runs on one dedicated
// connection that holds the slots' advisory locks; only the holder of a slot reads or marks its rows, so claims
// need no row locks and no transaction (decision 0092). A replica that loses its connection loses its slots in
// the same instant, and another replica takes over, sending again what was sent but not yet marked. Live
// replicas share the slots evenly (decision 0080): a replica above its share gives slots back between batches,
// one below takes free ones.
import { describeKafkaError, isRetriableKafkaError, KafkaSendAbortedError } from '../kafka/errors.ts';
import type { MessageProducer, OutgoingMessage } from '../kafka/producer.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { claimPending, markDelivered, markFailed, type ClaimedRow } from '../store/outbox-repo.ts';
import { countRelays, tryLockSlots, unlockSlots } from '../store/locks.ts';
import { createSessionClient, type SessionClient } from '../store/pool.ts';
import { prepareRelaySession } from '../store/relay-session.ts';
import { fairShare } from './slot-share.ts';
import { SLOT_COUNT } from '../outbox/slots.ts';

// Per topic, not per send: the broker's limit (message.max.bytes, 1 MiB by default) applies to each partition's
// record batch, and a partition's batch is never larger than its topic's share. A cap on the whole send split one
// full claim of real advices into several rounds.
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
  /** Gives up the send in flight (its rows stay pending), releases the slots and returns. */
  stop(): Promise<void>;
  ownedSlots(): number[];
  /** Rows were just committed by this process: claim now, as on a NOTIFY (which arrives a little later). */
  nudge(): void;
}

export function createRelay(producer: MessageProducer, metrics: Metrics, logger: Logger, options: RelayOptions): Relay {
  const log = logger.child({ component: 'relay' });
  const wanted = options.slots ?? Array.from({ length: SLOT_COUNT }, (_, i) => i);
  const owned = new Set<number>();
  let client: SessionClient | undefined;
  let stopping = false;
  // Aborted by stop(): the send in flight is given up, so a stop never waits for an unreachable broker.
  let giveUp = new AbortController();
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let lastSlotScan = 0;
  let backoffMs = 0;
  let notified = false; // a NOTIFY arrived since the last claim began: do not sleep, claim again

  /** New rows may be pending (a NOTIFY, or this process's own commit): claim now, or again after the claim under way. */
  function claimSoon(): void {
    notified = true;
    wake?.();
  }

  async function openSession(): Promise<SessionClient> {
    if (client) return client;
    const c = createSessionClient(options.databaseUrl, `gcos-zsm-bridge-relay${options.replicaId ? ` ${options.replicaId}` : ''}`.slice(0, 63));
    c.on('error', (err) => log.warn({ err: { message: err.message } }, 'relay connection lost; slots released'));
    c.on('end', () => {
      if (client === c) dropSession();
    });
    c.on('notification', claimSoon);
    await c.connect();
    await prepareRelaySession(c);
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
      // Between batches: every batch of these slots is marked, so the next holder starts from the oldest
      // pending row, after everything this replica sent. Order per subject holds across the hand-over.
      const giveBack = [...owned].sort((a, b) => b - a).slice(0, owned.size - share);
      await unlockSlots(c, giveBack);
      for (const s of giveBack) owned.delete(s);
      log.info({ released: giveBack.length, owned: owned.size }, 'relay slots given back to share them');
    } else if (owned.size < share) {
      const free = wanted.filter((s) => !owned.has(s));
      const taken = await tryLockSlots(c, free, share - owned.size);
      for (const s of taken) owned.add(s);
      if (taken.length > 0) log.info({ acquired: taken.length, owned: owned.size }, 'relay slots acquired');
    }
    metrics.relayOwnedSlots.set(owned.size);
  }

  /** Claims, sends and marks until nothing is pending (or a slot re-check is due); returns how many messages
   * were delivered. Sends go one after another, each only after the broker acknowledged the one before, so the
   * order per subject is that of a strictly sequential relay; what overlaps is the database: while batch k is on
   * its way to the broker, one statement marks batch k-1 delivered and claims batch k+1 (leaving out k-1 and k). */
  async function relayRounds(c: SessionClient): Promise<number> {
    if (owned.size === 0) return 0;
    notified = false;
    let batch = withinBytes(await claimPending(c, [...owned], options.batchSize));
    // Sent and acknowledged, not yet marked. Should the session fail before they are, whoever holds their slot
    // next sends them again: at least once, with the same ce_id.
    let acked: string[] = [];
    let delivered = 0;
    while (batch.length > 0) {
      const ids = batch.map((r) => r.id);
      const started = process.hrtime.bigint();
      const sending = producer.send(batch.map(toMessage), options.sendTimeoutMs, giveUp.signal);
      // Before a slot re-check or a stop, claim nothing more: slots change hands only with every batch marked.
      const last = stopping || Date.now() - lastSlotScan >= SLOT_RESCAN_MS;
      const claiming = last
        ? markDelivered(c, acked).then((): ClaimedRow[] => [])
        : claimPending(c, [...owned], options.batchSize, { exclude: [...acked, ...ids], delivered: acked });
      const [sent, next] = await Promise.allSettled([sending, claiming]);
      if (next.status === 'rejected') throw next.reason; // a database error: reconnect, the rows stay pending
      if (sent.status === 'rejected') {
        // Stopping: the rows stay pending, not marked failed, and the next holder of their slots sends them (again:
        // the broker may have them already, at least once).
        if (sent.reason instanceof KafkaSendAbortedError) throw sent.reason;
        const retriable = isRetriableKafkaError(sent.reason);
        metrics.relayFailures.inc({ reason: retriable ? 'retriable' : 'fatal' });
        await markFailed(c, ids, describeKafkaError(sent.reason));
        throw new RelaySendError(sent.reason, retriable);
      }
      metrics.relayLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
      metrics.relaySent.inc(batch.length);
      delivered += batch.length;
      acked = ids;
      batch = withinBytes(next.value);
    }
    await markDelivered(c, acked);
    return delivered;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        const c = await openSession();
        await acquireSlots(c);
        const sent = await relayRounds(c);
        backoffMs = 0;
        if (sent === 0) await waitForWake(options.pollIntervalMs);
      } catch (err) {
        backoffMs = Math.min(options.maxBackoffMs, backoffMs === 0 ? 200 : backoffMs * 2);
        if (err instanceof KafkaSendAbortedError) {
          log.info('relay stopped with a batch at the broker; its rows stay pending');
          break;
        }
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
      // A NOTIFY that came while the last claim was under way may be for rows that claim could not see yet.
      if (!ignoreNotifications && notified) done();
    });
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      giveUp = new AbortController();
      running = loop();
    },
    async stop() {
      stopping = true;
      giveUp.abort();
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
    nudge: claimSoon,
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

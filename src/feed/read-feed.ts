// A page of a recipient's pull feed (decision 0110): the outbox rows below the commit horizon after the cursor,
// as structured CloudEvents, each retrieval that hands out events written to the processing log before the answer
// leaves. An empty page waits (long polling) for the next outbox commit, up to the asked wait.
import { BridgeError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import type { Metrics } from '../observability/metrics.ts';
import { oldestFeedPosition, readFeed, type FeedEvent } from '../store/feed-repo.ts';
import type { Pool } from '../store/pool.ts';
import { appendProcessingLogStatement } from '../store/processing-log-repo.ts';
import { CHANNEL_KEY_PREFIX, type LogEntry } from '../processing-log/entry.ts';
import { withStatements } from '../store/transaction.ts';
import { encodeCursor, START, type FeedCursor } from './cursor.ts';
import { feedDisclosureEntries, shareEventIds } from './disclosure.ts';
import type { FanoutPace } from './fanout-pace.ts';
import { createTurns } from './one-per-turn.ts';
import type { FeedWake } from './feed-wake.ts';
import { feedPageBody } from './structured.ts';

export interface FeedDeps {
  pool: Pool;
  plan: ExchangePlan;
  wake: FeedWake;
  metrics: Metrics;
  /** How long events stay readable after the cursor's time (FEED_WINDOW_DAYS). */
  windowMs: number;
  /** Requests that may wait at once in this process (FEED_MAX_WAITING). */
  maxWaiting: number;
  retryAfterSeconds: number;
  /** Spaces a recipient's reads when several clients read it (FEED_FANOUT_PAGES_PER_SECOND). */
  pace: FanoutPace;
}

export interface FeedRequest {
  recipient: string;
  cursor: FeedCursor | null;
  limit: number;
  waitMs: number;
  types?: readonly string[];
  actor: string;
  traceId: string;
  /** Aborts when the client goes away: its wait ends. */
  signal?: AbortSignal;
}

export interface FeedPage {
  /** How many events the page holds. */
  count: number;
  /** The page as sent (feedPageBody): shared by the clients answered from one read. */
  body: Buffer;
  next: string;
}

// After a wake that found nothing (a row committed above the horizon, held back by an older transaction still
// open), look again soon and then every second until the wait ends, rather than wait for a commit that may not
// come (the transaction that held it back may send no NOTIFY).
const RECHECK_MS = [10, 25, 50, 100, 250, 500, 1_000];

let waiting = 0;

// The answers of one read go out this far apart, and a line of them is spread over at most this long (every
// recipient's answers share it): a paced feed's clients are answered over a small part of its spacing.
const SEND_GAP_MS = 1;
const SEND_SPREAD_MS = 100;

const EMPTY = Buffer.from('[]');

// Feed work on the database at once, per process: however many feed clients come, the ingest keeps the rest of
// the pool (measured: 50 long-polling clients each reading on every wake took the pool from the ingest, 503s).
const DB_SLOTS = 2;
let active = 0;
const queue: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (active < DB_SLOTS) active += 1;
  else await new Promise<void>((resolve) => queue.push(resolve));
  try {
    return await fn();
  } finally {
    // The slot passes straight to the next in line, so none can slip in between.
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  }
}

// Disclosures of pages answered at about the same time go into one statement per chain (group commit): one wake
// answers every waiting client of a recipient, and a transaction each cost the ingest its commits. Each page's
// answer still waits until its own entries are committed. The clients answered from one read get the same events;
// their ce_ids are listed once, by the first entry of that read, and the others name it (shareEventIds): fifty
// clients each listing a page's ids cost PostgreSQL CPU and WAL that the ingest waited behind.
interface Pending {
  group: { chainKey: string; entries: LogEntry[] };
  /** The read the page came from (its events array, shared by every client answered from it). */
  read: readonly FeedEvent[];
  done: (err?: Error) => void;
}
// Per pool: tests run several bridges, each with its own database, in one process.
const queues = new WeakMap<Pool, { queued: Pending[]; flushing: boolean }>();
// Per read, per kind: the committed entry that lists its ce_ids. Gone with the read's events array.
const listedByRead = new WeakMap<readonly FeedEvent[], Map<string, string>>();

function logDisclosure(pool: Pool, entries: LogEntry[], chainKey: string, read: readonly FeedEvent[]): Promise<void> {
  let q = queues.get(pool);
  if (!q) queues.set(pool, (q = { queued: [], flushing: false }));
  const queue = q;
  return new Promise<void>((resolve, reject) => {
    queue.queued.push({ group: { chainKey, entries }, read, done: (err) => (err === undefined ? resolve() : reject(err)) });
    if (!queue.flushing) void flush(pool, queue);
  });
}

async function flush(pool: Pool, q: { queued: Pending[]; flushing: boolean }): Promise<void> {
  q.flushing = true;
  while (q.queued.length > 0) {
    const batch = q.queued;
    q.queued = [];
    // One statement per chain (a recipient's pages share one): each its own transaction, one round trip.
    const byChain = new Map<string, Pending[]>();
    for (const p of batch) {
      const same = byChain.get(p.group.chainKey);
      if (same) same.push(p);
      else byChain.set(p.group.chainKey, [p]);
    }
    for (const [chainKey, pending] of byChain) {
      // Entries listing ids may be named by the later entries of this statement; they count as listed for later
      // statements only once this one has committed.
      const listedHere = new Map<readonly FeedEvent[], Map<string, string>>();
      const entries = pending.flatMap((p) => {
        let listed = listedHere.get(p.read);
        if (!listed) listedHere.set(p.read, (listed = new Map(listedByRead.get(p.read))));
        return shareEventIds(p.group.entries, listed);
      });
      try {
        await limited(() => withStatements(pool, (c) => appendProcessingLogStatement(c, entries, chainKey)));
        for (const [read, listed] of listedHere) listedByRead.set(read, listed);
        for (const p of pending) p.done();
      } catch (err) {
        for (const p of pending) p.done(err instanceof Error ? err : new Error('processing log write failed'));
      }
    }
  }
  q.flushing = false;
}

// The answers of one read build their disclosures one per turn of the event loop (one-per-turn.ts), close enough
// together to share a disclosure statement; they are sent a little apart, so that the requests the clients send
// straight back do not come as one block either.
const building = createTurns();
const sending = createTurns({ gapMs: SEND_GAP_MS, maxSpreadMs: SEND_SPREAD_MS });

// Waiters at the same place read once: a wake sends every waiter of a recipient to the same rows.
const inflight = new Map<string, Promise<FeedEvent[]>>();

export async function readFeedPage(deps: FeedDeps, req: FeedRequest): Promise<FeedPage> {
  const leave = deps.pace.enter(req.recipient);
  try {
    return await answer(deps, req);
  } finally {
    leave();
  }
}

async function answer(deps: FeedDeps, req: FeedRequest): Promise<FeedPage> {
  const startedAt = new Date();
  if (req.cursor && req.cursor.t < Date.now() - deps.windowMs) throw await gone(deps, req.recipient);
  const after = req.cursor?.position ?? null;
  let events = await page(deps, req, after);
  if (events.length === 0 && req.waitMs > 0) events = await waitForEvents(deps, req, after);
  if (events.length > 0) await building.mine();
  const now = Date.now();
  if (events.length === 0) {
    return { count: 0, body: EMPTY, next: encodeCursor({ recipient: req.recipient, position: after ?? START, t: now }) };
  }
  // A full page may leave older rows behind it: its cursor is as old as its last event. A short one has served
  // every row below the horizon, and what comes later commits after now.
  const last = events[events.length - 1]!;
  const t = events.length === req.limit ? Math.min(now, last.createdAt.getTime()) : now;
  await logDisclosure(
    deps.pool,
    feedDisclosureEntries(deps.plan, {
      traceId: req.traceId,
      actor: req.actor,
      recipient: req.recipient,
      events,
      startedAt,
      detail: { channel: 'feed' },
    }),
    `${CHANNEL_KEY_PREFIX}${req.recipient}`,
    events,
  );
  deps.metrics.feedEvents.inc({ recipient: req.recipient }, events.length);
  await sending.mine();
  return { count: events.length, body: feedPageBody(events), next: encodeCursor({ recipient: req.recipient, position: last.position, t }) };
}

/** One read on a pooled connection, returned at once: a waiting request holds none. It starts at the recipient's
 * next turn (fanout-pace.ts); a request whose client left by then reads nothing. */
async function page(deps: FeedDeps, req: FeedRequest, after: FeedCursor['position'] | null): Promise<FeedEvent[]> {
  await deps.pace.turn(req.recipient);
  if (req.signal?.aborted) return [];
  const key = `${req.recipient} ${after?.tx ?? '-'} ${after?.id ?? '-'} ${req.limit} ${req.types?.join(',') ?? ''}`;
  const shared = inflight.get(key);
  if (shared) return shared;
  const read = limited(async () => {
    const c = await deps.pool.connect();
    try {
      return await readFeed(c, req.recipient, after, req.limit, req.types ? { types: req.types } : {});
    } finally {
      c.release();
    }
  }).finally(() => inflight.delete(key));
  inflight.set(key, read);
  return read;
}

async function waitForEvents(deps: FeedDeps, req: FeedRequest, after: FeedCursor['position'] | null): Promise<FeedEvent[]> {
  if (waiting >= deps.maxWaiting) {
    throw new BridgeError('BRIDGE_OVERLOADED', 'Too many feed requests wait at once; ask again later', {
      headers: { 'retry-after': String(deps.retryAfterSeconds) },
    });
  }
  waiting += 1;
  deps.metrics.feedWaiting.inc();
  try {
    const deadline = Date.now() + req.waitMs;
    let recheck = 0;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || req.signal?.aborted) return [];
      const woken = await deps.wake.next(recheck > 0 ? Math.min(left, RECHECK_MS[Math.min(recheck, RECHECK_MS.length) - 1]!) : left, req.signal);
      if (req.signal?.aborted) return [];
      const events = await page(deps, req, after);
      if (events.length > 0) return events;
      // Woken for rows of another recipient, or rows not yet below the horizon: look again soon, then less often.
      recheck = woken ? 1 : recheck > 0 ? Math.min(recheck + 1, RECHECK_MS.length) : 0;
    }
  } finally {
    waiting -= 1;
    deps.metrics.feedWaiting.dec();
  }
}

/** 410: the events after the cursor may be gone; the problem names where to resume (the oldest event held). */
async function gone(deps: FeedDeps, recipient: string): Promise<BridgeError> {
  const oldest = await limited(async () => {
    const c = await deps.pool.connect();
    try {
      return await oldestFeedPosition(c, recipient);
    } finally {
      c.release();
    }
  });
  const position = oldest ? { tx: oldest.tx, id: String(BigInt(oldest.id) - 1n) } : START;
  const resume = encodeCursor({ recipient, position, t: Date.now() });
  return new BridgeError('BRIDGE_FEED_GONE', 'The cursor is older than the feed window: events after it may have been removed. Resume from `resume`', {
    extensions: { resume },
  });
}

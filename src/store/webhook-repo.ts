// Webhook subscriptions, their cursors and delivery state, and their dead letters (migration 099, decision 0111).
// A cursor only moves forward: a deliverer that lost its lock while a send was under way cannot move it back.
import type { FeedPosition } from './feed-repo.ts';
import { OUTBOX_CHANNEL } from './outbox-repo.ts';
import type { Pool, Queryable } from './pool.ts';

type Db = Pool | Queryable;

export interface SubscriptionRow {
  id: string;
  recipient: string;
  url: string;
  eventTypes: string[];
  secretSealed: Buffer;
  origin: 'api' | 'config';
  createdBy: string;
  createdAt: Date;
  cursor: FeedPosition | null;
  delivered: number;
  lastDeliveredAt: Date | null;
  pendingEventId: string | null;
  pendingSince: Date | null;
  attempts: number;
  lastAttemptAt: Date | null;
  lastError: string | null;
  openDeadLetters: number;
}

export interface NewSubscription {
  id: string;
  recipient: string;
  url: string;
  eventTypes: readonly string[];
  secretSealed: Buffer;
  origin: 'api' | 'config';
  createdBy: string;
}

const COLUMNS = /* sql */ `s.id, s.recipient, s.url, s.event_types, s.secret_sealed, s.origin, s.created_by, s.created_at,
  s.cursor_tx::text AS cursor_tx, s.cursor_id::text AS cursor_id, s.delivered::int AS delivered, s.last_delivered_at,
  s.pending_event_id, s.pending_since, s.attempts, s.last_attempt_at, s.last_error,
  (SELECT count(*)::int FROM webhook_dead_letters d WHERE d.subscription_id = s.id) AS open_dead_letters`;

interface Row {
  id: string;
  recipient: string;
  url: string;
  event_types: string[];
  secret_sealed: Buffer;
  origin: 'api' | 'config';
  created_by: string;
  created_at: Date;
  cursor_tx: string | null;
  cursor_id: string | null;
  delivered: number;
  last_delivered_at: Date | null;
  pending_event_id: string | null;
  pending_since: Date | null;
  attempts: number;
  last_attempt_at: Date | null;
  last_error: string | null;
  open_dead_letters: number;
}

function toSubscription(r: Row): SubscriptionRow {
  return {
    id: r.id,
    recipient: r.recipient,
    url: r.url,
    eventTypes: r.event_types,
    secretSealed: r.secret_sealed,
    origin: r.origin,
    createdBy: r.created_by,
    createdAt: r.created_at,
    cursor: r.cursor_tx !== null && r.cursor_id !== null ? { tx: r.cursor_tx, id: r.cursor_id } : null,
    delivered: r.delivered,
    lastDeliveredAt: r.last_delivered_at,
    pendingEventId: r.pending_event_id,
    pendingSince: r.pending_since,
    attempts: r.attempts,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
    openDeadLetters: r.open_dead_letters,
  };
}

/** Stores a subscription whose cursor is the recipient's newest event below the commit horizon: it receives what
 * commits from now on (every later row has a higher position, as feed-repo explains). */
export async function insertSubscription(q: Db, s: NewSubscription): Promise<SubscriptionRow> {
  const { rows } = await q.query<Row>(
    /* sql */ `WITH head AS (
       SELECT tx, id FROM outbox WHERE recipient = $2 AND tx < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY tx DESC, id DESC LIMIT 1
     ), s AS (
       INSERT INTO webhook_subscriptions (id, recipient, url, event_types, secret_sealed, origin, created_by, cursor_tx, cursor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT tx FROM head), (SELECT id FROM head)) RETURNING *
     )
     SELECT ${COLUMNS} FROM s`,
    [s.id, s.recipient, s.url, [...s.eventTypes], s.secretSealed, s.origin, s.createdBy],
  );
  return toSubscription(rows[0]!);
}

/** Replaces a configuration-declared subscription's URL, types and secret (its cursor stays); true if it changed. */
export async function updateConfiguredSubscription(q: Db, s: NewSubscription): Promise<boolean> {
  const { rowCount } = await q.query(
    /* sql */ `UPDATE webhook_subscriptions SET url = $3, event_types = $4, secret_sealed = $5
     WHERE id = $1 AND recipient = $2 AND origin = 'config' AND (url, event_types, secret_sealed) IS DISTINCT FROM ($3, $4::text[], $5::bytea)`,
    [s.id, s.recipient, s.url, [...s.eventTypes], s.secretSealed],
  );
  return (rowCount ?? 0) > 0;
}

export async function findSubscription(q: Db, recipient: string | null, id: string): Promise<SubscriptionRow | undefined> {
  const { rows } = await q.query<Row>(/* sql */ `SELECT ${COLUMNS} FROM webhook_subscriptions s WHERE s.id = $1 AND ($2::text IS NULL OR s.recipient = $2)`, [
    id,
    recipient,
  ]);
  return rows[0] && toSubscription(rows[0]);
}

/** A recipient's subscriptions in creation order, after `afterId` (a page's last id), at most `limit`. */
export async function listSubscriptions(q: Db, recipient: string, limit: number, afterId?: string): Promise<SubscriptionRow[]> {
  const { rows } = await q.query<Row>(
    /* sql */ `SELECT ${COLUMNS} FROM webhook_subscriptions s WHERE s.recipient = $1
       AND ($3::uuid IS NULL OR (s.created_at, s.id) > (SELECT created_at, id FROM webhook_subscriptions WHERE id = $3))
     ORDER BY s.created_at, s.id LIMIT $2`,
    [recipient, limit, afterId ?? null],
  );
  return rows.map(toSubscription);
}

/** Every subscription: what the deliverers run. */
export async function allSubscriptions(q: Db): Promise<SubscriptionRow[]> {
  const { rows } = await q.query<Row>(/* sql */ `SELECT ${COLUMNS} FROM webhook_subscriptions s ORDER BY s.created_at, s.id`);
  return rows.map(toSubscription);
}

/** How many subscriptions a recipient has. */
export async function countSubscriptions(q: Db, recipient: string): Promise<number> {
  const { rows } = await q.query<{ n: string }>(/* sql */ `SELECT count(*) AS n FROM webhook_subscriptions WHERE recipient = $1`, [recipient]);
  return Number(rows[0]!.n);
}

export async function deleteSubscription(q: Db, recipient: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query(/* sql */ `DELETE FROM webhook_subscriptions WHERE id = $1 AND recipient = $2`, [id, recipient]);
  return (rowCount ?? 0) > 0;
}

/** Records a failed attempt at the event in hand (its first attempt sets pending_since). */
export async function noteAttemptFailed(q: Db, id: string, eventId: string, error: string): Promise<void> {
  await q.query(
    /* sql */ `UPDATE webhook_subscriptions SET
       attempts = CASE WHEN pending_event_id = $2 THEN attempts + 1 ELSE 1 END,
       pending_since = CASE WHEN pending_event_id = $2 THEN pending_since ELSE now() END,
       pending_event_id = $2, last_attempt_at = now(), last_error = $3
     WHERE id = $1`,
    [id, eventId, error],
  );
}

/** A feed event was delivered: the cursor moves past it (never back), the pending state is cleared. False when
 * the subscription is gone. */
export async function markFeedDelivered(q: Db, id: string, at: FeedPosition): Promise<boolean> {
  const { rowCount } = await q.query(
    /* sql */ `UPDATE webhook_subscriptions SET
       cursor_tx = CASE WHEN cursor_tx IS NULL OR (cursor_tx, cursor_id) < ($2::xid8, $3::bigint) THEN $2::xid8 ELSE cursor_tx END,
       cursor_id = CASE WHEN cursor_tx IS NULL OR (cursor_tx, cursor_id) < ($2::xid8, $3::bigint) THEN $3::bigint ELSE cursor_id END,
       delivered = delivered + 1, last_delivered_at = now(), pending_event_id = NULL, pending_since = NULL, attempts = 0, last_error = NULL
     WHERE id = $1`,
    [id, at.tx, at.id],
  );
  return (rowCount ?? 0) > 0;
}

export interface NewDeadLetter {
  eventId: string;
  recordId: string | null;
  eventType: string;
  reason: string;
  attempts: number;
  firstAttemptAt: Date;
}

/** The deadline passed: the event becomes a dead letter and the cursor moves past it, in one statement. */
export async function deadLetterFeedEvent(q: Db, id: string, at: FeedPosition, d: NewDeadLetter): Promise<void> {
  await q.query(
    /* sql */ `WITH dl AS (
       INSERT INTO webhook_dead_letters (subscription_id, event_id, record_id, event_type, reason, attempts, first_attempt_at)
       SELECT id, $4, $5, $6, $7, $8, $9 FROM webhook_subscriptions WHERE id = $1
       ON CONFLICT (subscription_id, event_id) DO UPDATE SET reason = EXCLUDED.reason, attempts = EXCLUDED.attempts, status = 'open', dead_at = now()
     )
     UPDATE webhook_subscriptions SET
       cursor_tx = CASE WHEN cursor_tx IS NULL OR (cursor_tx, cursor_id) < ($2::xid8, $3::bigint) THEN $2::xid8 ELSE cursor_tx END,
       cursor_id = CASE WHEN cursor_tx IS NULL OR (cursor_tx, cursor_id) < ($2::xid8, $3::bigint) THEN $3::bigint ELSE cursor_id END,
       pending_event_id = NULL, pending_since = NULL, attempts = 0, last_error = NULL
     WHERE id = $1`,
    [id, at.tx, at.id, d.eventId, d.recordId, d.eventType, d.reason, d.attempts, d.firstAttemptAt],
  );
}

export interface DeadLetterRow {
  subscriptionId: string;
  eventId: string;
  recordId: string | null;
  eventType: string;
  reason: string;
  attempts: number;
  firstAttemptAt: Date;
  deadAt: Date;
  status: 'open' | 'redrive';
}

interface DeadRow {
  subscription_id: string;
  event_id: string;
  record_id: string | null;
  event_type: string;
  reason: string;
  attempts: number;
  first_attempt_at: Date;
  dead_at: Date;
  status: 'open' | 'redrive';
}

function toDeadLetter(r: DeadRow): DeadLetterRow {
  return {
    subscriptionId: r.subscription_id,
    eventId: r.event_id,
    recordId: r.record_id,
    eventType: r.event_type,
    reason: r.reason,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at,
    deadAt: r.dead_at,
    status: r.status,
  };
}

/** A subscription's dead letters, oldest first, after `afterEventId` (a page's last), at most `limit`. */
export async function listDeadLetters(q: Db, subscriptionId: string, limit: number, afterEventId?: string): Promise<DeadLetterRow[]> {
  const { rows } = await q.query<DeadRow>(
    /* sql */ `SELECT * FROM webhook_dead_letters WHERE subscription_id = $1
       AND ($3::uuid IS NULL OR (dead_at, event_id) > (SELECT dead_at, event_id FROM webhook_dead_letters WHERE subscription_id = $1 AND event_id = $3))
     ORDER BY dead_at, event_id LIMIT $2`,
    [subscriptionId, limit, afterEventId ?? null],
  );
  return rows.map(toDeadLetter);
}

/** Asks for a dead letter to be sent again; false when there is none. */
export async function requestRedrive(q: Db, subscriptionId: string, eventId: string): Promise<boolean> {
  const { rowCount } = await q.query(/* sql */ `UPDATE webhook_dead_letters SET status = 'redrive' WHERE subscription_id = $1 AND event_id = $2`, [
    subscriptionId,
    eventId,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function discardDeadLetter(q: Db, subscriptionId: string, eventId: string): Promise<DeadLetterRow | undefined> {
  const { rows } = await q.query<DeadRow>(/* sql */ `DELETE FROM webhook_dead_letters WHERE subscription_id = $1 AND event_id = $2 RETURNING *`, [
    subscriptionId,
    eventId,
  ]);
  return rows[0] && toDeadLetter(rows[0]);
}

/** The oldest dead letter asked to be re-driven, with its event from the outbox (null when the outbox no longer
 * holds it: retention removed it). */
export async function nextRedrive(
  q: Db,
  subscriptionId: string,
): Promise<{ deadLetter: DeadLetterRow; event: { messageKey: string; headers: Record<string, string>; payload: string } | null } | undefined> {
  const { rows } = await q.query<DeadRow & { message_key: string | null; headers: Record<string, string> | null; payload: string | null }>(
    /* sql */ `SELECT d.*, o.message_key, o.headers, o.payload FROM webhook_dead_letters d LEFT JOIN outbox o ON o.event_id = d.event_id
     WHERE d.subscription_id = $1 AND d.status = 'redrive' ORDER BY d.dead_at, d.event_id LIMIT 1`,
    [subscriptionId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    deadLetter: toDeadLetter(r),
    event: r.payload !== null && r.headers !== null && r.message_key !== null ? { messageKey: r.message_key, headers: r.headers, payload: r.payload } : null,
  };
}

/** A re-driven dead letter was delivered (removed), or failed again (open, with the new reason). */
export async function settleRedrive(q: Db, subscriptionId: string, eventId: string, failure?: { reason: string; attempts: number }): Promise<void> {
  if (!failure) {
    await q.query(/* sql */ `DELETE FROM webhook_dead_letters WHERE subscription_id = $1 AND event_id = $2`, [subscriptionId, eventId]);
    return;
  }
  await q.query(
    /* sql */ `UPDATE webhook_dead_letters SET status = 'open', reason = $3, attempts = attempts + $4, dead_at = now() WHERE subscription_id = $1 AND event_id = $2`,
    [subscriptionId, eventId, failure.reason, failure.attempts],
  );
}

export type WebhookDeliveryStatus = 'delivered' | 'pending' | 'dead-letter';

export interface WebhookDeliveryState {
  subscriptionId: string;
  recipient: string;
  eventId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastError: string | null;
}

/** For each of a record's events that a subscription takes: delivered (the cursor passed it, no dead letter),
 * dead-letter, or pending. Only what the outbox still holds. */
export async function webhookStatesOfRecord(q: Db, recordId: string): Promise<WebhookDeliveryState[]> {
  const { rows } = await q.query<{
    subscription_id: string;
    recipient: string;
    event_id: string;
    passed: boolean;
    dead: boolean;
    dead_reason: string | null;
    dead_attempts: number | null;
    in_hand: boolean;
    attempts: number;
    last_error: string | null;
  }>(
    /* sql */ `SELECT s.id AS subscription_id, s.recipient, o.event_id,
       (s.cursor_tx IS NOT NULL AND (o.tx, o.id) <= (s.cursor_tx, s.cursor_id)) AS passed,
       (d.event_id IS NOT NULL) AS dead, d.reason AS dead_reason, d.attempts AS dead_attempts,
       (s.pending_event_id = o.event_id) AS in_hand, s.attempts, s.last_error
     FROM outbox o
     JOIN webhook_subscriptions s ON s.recipient = o.recipient AND (cardinality(s.event_types) = 0 OR o.event_type = ANY (s.event_types))
     LEFT JOIN webhook_dead_letters d ON d.subscription_id = s.id AND d.event_id = o.event_id
     WHERE o.record_id = $1 AND (s.created_at <= o.created_at OR d.event_id IS NOT NULL)
     ORDER BY o.id, s.created_at, s.id`,
    [recordId],
  );
  return rows.map((r) => ({
    subscriptionId: r.subscription_id,
    recipient: r.recipient,
    eventId: r.event_id,
    status: r.dead ? 'dead-letter' : r.passed ? 'delivered' : 'pending',
    attempts: r.dead ? (r.dead_attempts ?? 0) : r.in_hand ? r.attempts : 0,
    lastError: r.dead ? r.dead_reason : r.in_hand ? r.last_error : null,
  }));
}

/** The deliverer's session is woken by every commit of outbox rows, as the relay's is. */
export async function listenForOutbox(c: Queryable): Promise<void> {
  await c.query(/* sql */ `LISTEN ${OUTBOX_CHANNEL}`);
}

/** A replay to webhook subscriptions (decision 0110): the held outbox events of a recipient created in [from, to)
 * queued as re-drives of its subscriptions (all, or the one given), each only the types it takes. The deliverer
 * sends re-drives before its next feed event, oldest first: `dead_at` is spaced by feed order so that a subject's
 * events go out in the order they were accepted. Returns the subscriptions reached and the events queued (each
 * once, however many subscriptions take it). */
export async function queueReplayRedrives(
  q: Db,
  recipient: string,
  from: Date,
  to: Date,
  subscriptionId: string | null,
): Promise<{ subscriptions: number; events: { eventId: string; eventType: string }[] }> {
  const { rows } = await q.query<{ event_id: string | null; event_type: string | null; subscriptions: string }>(
    /* sql */ `WITH subs AS (
       SELECT id, event_types FROM webhook_subscriptions WHERE recipient = $1 AND ($4::uuid IS NULL OR id = $4::uuid)),
     held AS (
       SELECT event_id, record_id, event_type, row_number() OVER (ORDER BY tx, id) AS n
       FROM outbox WHERE recipient = $1 AND created_at >= $2 AND created_at < $3),
     queued AS (
       INSERT INTO webhook_dead_letters (subscription_id, event_id, record_id, event_type, reason, attempts, first_attempt_at, dead_at, status)
       SELECT s.id, h.event_id, h.record_id, h.event_type, 'replay', 0, now(), now() + h.n * interval '1 microsecond', 'redrive'
       FROM subs s JOIN held h ON cardinality(s.event_types) = 0 OR h.event_type = ANY (s.event_types)
       ON CONFLICT (subscription_id, event_id) DO UPDATE SET status = 'redrive', dead_at = EXCLUDED.dead_at
       RETURNING event_id, event_type)
     SELECT DISTINCT q.event_id, q.event_type, (SELECT count(*) FROM subs) AS subscriptions
     FROM (SELECT 1) one LEFT JOIN queued q ON true`,
    [recipient, from, to, subscriptionId],
  );
  return {
    subscriptions: Number(rows[0]?.subscriptions ?? 0),
    events: rows.filter((r) => r.event_id !== null).map((r) => ({ eventId: r.event_id!, eventType: r.event_type! })),
  };
}

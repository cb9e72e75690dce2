// A recipient's events sent again at a privacy officer's request (issue 20 item 3, decision 0110). Topic: the held
// rows of the range are marked pending, and the relay sends them again with their own ce_id and the view stored
// when each was accepted (the policy of that moment). Feed: the rows are read again from a cursor placed before
// the range. Nothing is rebuilt, so what retention or the clean-up removed stays removed; the answer counts it
// from the processing log's disclosures at acceptance.
import { BridgeError, fieldError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import type { Metrics } from '../observability/metrics.ts';
import { KINDS } from '../ingest/kinds/index.ts';
import { CHANNEL_KEY_PREFIX } from '../processing-log/entry.ts';
import { feedPositionBefore } from '../store/feed-repo.ts';
import type { Pool } from '../store/pool.ts';
import { appendProcessingLog } from '../store/processing-log-repo.ts';
import { disclosuresAtAcceptance, heldEvents, markForResend, type HeldEvent } from '../store/replay-repo.ts';
import { queueReplayRedrives } from '../store/webhook-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import { encodeCursor, START } from './cursor.ts';
import { feedDisclosureEntries } from './disclosure.ts';

// The events an acceptance sends, which the ingest logs as disclosures (expiry notices are not logged so).
const ACCEPTANCE_TYPES = new Set(Object.values(KINDS).map((k) => k.eventType));

export const REPLAY_DESTINATIONS = ['topic', 'feed', 'subscription'] as const;
export type ReplayDestination = (typeof REPLAY_DESTINATIONS)[number];
/** The longest range one replay covers; a longer loss is asked for in parts. */
export const REPLAY_MAX_RANGE_DAYS = 31;
/** The most events one replay sends again (they are listed in its processing-log entry). */
export const REPLAY_MAX_EVENTS = 10_000;

export interface ReplayDeps {
  pool: Pool;
  plan: ExchangePlan;
  metrics: Metrics;
  /** Wakes this process's relay after the rows are pending again. */
  stored: () => void;
  /** Wakes this process's webhook deliverer after re-drives were queued. */
  redrivesQueued?: () => void;
}

export interface ReplayRequest {
  recipient: string;
  from: Date;
  to: Date;
  reason: string;
  destination: ReplayDestination;
  /** Subscription: the one subscription to send to; absent, every subscription of the recipient. */
  subscriptionId?: string;
  actor: string;
  traceId: string;
}

export interface ReplayOutcome {
  recipient: string;
  destination: ReplayDestination;
  from: string;
  to: string;
  /** Events sent again (topic) or readable again from `cursor` (feed). */
  resent: number;
  /** Events disclosed to the recipient in the range that are no longer held (retention, clean-up). */
  notResent: number;
  /** Feed: the cursor to read the range from. */
  cursor?: string;
  /** Subscription: how many subscriptions the events were queued for. */
  subscriptions?: number;
}

/** Refuses a range that is empty, reversed, in the future or too long, and a reason that could hold a BSN. */
export function checkReplay(r: { from: Date; to: Date; reason: string; destination?: ReplayDestination; subscriptionId?: string }, now = new Date()): void {
  const errors = [];
  if (r.subscriptionId !== undefined && r.destination !== 'subscription') {
    errors.push(fieldError('FIELD_UNKNOWN', '/body/subscription', 'only with destination `subscription`'));
  }
  if (r.to.getTime() <= r.from.getTime()) errors.push(fieldError('DATE_ORDER', '/body/to', '`to` must lie after `from`'));
  if (r.to.getTime() - r.from.getTime() > REPLAY_MAX_RANGE_DAYS * 86_400_000) {
    errors.push(fieldError('FIELD_OUT_OF_RANGE', '/body/to', `a replay covers at most ${REPLAY_MAX_RANGE_DAYS} days; ask for a longer loss in parts`));
  }
  if (r.from.getTime() > now.getTime()) errors.push(fieldError('DATE_IN_FUTURE', '/body/from'));
  // The reason goes into the processing log, which holds no personal data: no number that could be a BSN.
  if (/[0-9]{5,}/.test(r.reason)) errors.push(fieldError('FIELD_PATTERN', '/body/reason', 'holds a run of five or more digits, which could be a BSN'));
  if (errors.length > 0) throw new BridgeError('BRIDGE_VALIDATION_FAILED', 'The replay request is not valid', { errors });
}

export async function replay(deps: ReplayDeps, req: ReplayRequest): Promise<ReplayOutcome> {
  checkReplay(req);
  const startedAt = new Date();
  const outcome = await withTransaction(deps.pool, async (c) => {
    const held = await heldEvents(c, req.recipient, req.from, req.to, REPLAY_MAX_EVENTS + 1);
    if (held.length > REPLAY_MAX_EVENTS) {
      throw new BridgeError('BRIDGE_UNPROCESSABLE', `The range holds more than ${REPLAY_MAX_EVENTS} events: ask for it in shorter parts`, {
        errors: [fieldError('FIELD_OUT_OF_RANGE', '/body/to', `more than ${REPLAY_MAX_EVENTS} events in the range`)],
      });
    }
    let resent: HeldEvent[] = held;
    let cursor: string | undefined;
    let subscriptions: number | undefined;
    if (req.destination === 'topic') resent = await markForResend(c, req.recipient, req.from, req.to);
    else if (req.destination === 'subscription') {
      const queued = await queueReplayRedrives(c, req.recipient, req.from, req.to, req.subscriptionId ?? null);
      if (queued.subscriptions === 0) throw new BridgeError('BRIDGE_NOT_FOUND', 'The recipient has no such webhook subscription');
      resent = queued.events;
      subscriptions = queued.subscriptions;
    } else cursor = encodeCursor({ recipient: req.recipient, position: (await feedPositionBefore(c, req.recipient, req.from)) ?? START, t: Date.now() });
    const disclosed = await disclosuresAtAcceptance(c, req.recipient, req.from, req.to);
    const acceptances = resent.filter((e) => ACCEPTANCE_TYPES.has(e.eventType)).length;
    if (resent.length > 0) {
      await appendProcessingLog(
        c,
        feedDisclosureEntries(deps.plan, {
          traceId: req.traceId,
          actor: req.actor,
          recipient: req.recipient,
          events: resent,
          startedAt,
          detail: { channel: 'replay', destination: req.destination, from: req.from.toISOString(), to: req.to.toISOString(), reason: req.reason },
        }),
        `${CHANNEL_KEY_PREFIX}${req.recipient}`,
      );
    }
    return {
      recipient: req.recipient,
      destination: req.destination,
      from: req.from.toISOString(),
      to: req.to.toISOString(),
      resent: resent.length,
      notResent: Math.max(0, disclosed - acceptances),
      ...(cursor ? { cursor } : {}),
      ...(subscriptions !== undefined ? { subscriptions } : {}),
    };
  });
  deps.metrics.replayedEvents.inc({ destination: req.destination }, outcome.resent);
  if (req.destination === 'topic' && outcome.resent > 0) deps.stored();
  if (req.destination === 'subscription' && outcome.resent > 0) deps.redrivesQueued?.();
  return outcome;
}

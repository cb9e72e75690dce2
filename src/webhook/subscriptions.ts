// The privacy officer's side of webhook push (decision 0111): create, list, read and delete a recipient's
// subscriptions, list, re-drive and discard their dead letters. Every change is written to the processing log
// (operation 'configured', the recipient named, no subject) in the same transaction as the change itself.
import { randomUUID } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { LogEntry } from '../processing-log/entry.ts';
import { appendProcessingLog } from '../store/processing-log-repo.ts';
import type { Pool } from '../store/pool.ts';
import { withTransaction } from '../store/transaction.ts';
import { BridgeError, fieldError } from '../errors.ts';
import {
  countSubscriptions,
  deleteSubscription,
  discardDeadLetter,
  findSubscription,
  insertSubscription,
  requestRedrive,
  updateConfiguredSubscription,
  type SubscriptionRow,
} from '../store/webhook-repo.ts';
import { checkTarget, type Resolver } from './address-guard.ts';
import type { DeclaredSubscription } from './declared-subscriptions.ts';
import { newSecret, type SecretBox } from './secrets.ts';

export const WEBHOOK_ACTIVITY = 'urn:nld:gcos-zsm-bridge:verwerkingsactiviteit:webhook-abonnementen';

export interface SubscriptionDeps {
  pool: Pool;
  secrets: SecretBox;
  allowed: BlockList;
  resolve?: Resolver;
}

export interface Acting {
  actor: string;
  traceId: string;
}

/** What the API shows of a subscription: never its secret. */
export interface SubscriptionView {
  id: string;
  recipient: string;
  url: string;
  eventTypes: string[];
  origin: 'api' | 'config';
  createdAt: string;
  createdBy: string;
  status: {
    delivered: number;
    lastDeliveredAt: string | null;
    pendingEventId: string | null;
    pendingSince: string | null;
    attempts: number;
    lastAttemptAt: string | null;
    lastError: string | null;
    deadLetters: number;
  };
}

export function subscriptionView(s: SubscriptionRow): SubscriptionView {
  return {
    id: s.id,
    recipient: s.recipient,
    url: s.url,
    eventTypes: s.eventTypes,
    origin: s.origin,
    createdAt: s.createdAt.toISOString(),
    createdBy: s.createdBy,
    status: {
      delivered: s.delivered,
      lastDeliveredAt: s.lastDeliveredAt?.toISOString() ?? null,
      pendingEventId: s.pendingEventId,
      pendingSince: s.pendingSince?.toISOString() ?? null,
      attempts: s.attempts,
      lastAttemptAt: s.lastAttemptAt?.toISOString() ?? null,
      lastError: s.lastError,
      deadLetters: s.openDeadLetters,
    },
  };
}

function entry(a: Acting, recipient: string, detail: Record<string, unknown>): LogEntry {
  const now = new Date();
  return {
    operation: 'configured',
    status: 'ok',
    traceId: a.traceId,
    actor: a.actor,
    subjectId: null,
    recordId: null,
    recordKind: null,
    recipient,
    fields: null,
    legalBasis: null,
    purpose: null,
    processingActivity: WEBHOOK_ACTIVITY,
    startedAt: now,
    endedAt: now,
    detail,
  };
}

/** Subscriptions one recipient may have through the API: each holds a worker and a connection while it delivers. */
export const MAX_SUBSCRIPTIONS_PER_RECIPIENT = 20;

/** Refused: the target's reason (an address guard refusal), for a 422 naming /url. */
export class TargetNotAllowed extends Error {}

/** Creates a subscription; the secret is returned here and never again. Throws TargetNotAllowed. */
export async function createSubscription(
  deps: SubscriptionDeps,
  a: Acting,
  input: { recipient: string; url: string; eventTypes: readonly string[]; secret?: string | undefined },
): Promise<SubscriptionView & { secret: string }> {
  try {
    await checkTarget(input.url, deps.allowed, deps.resolve);
  } catch (err) {
    throw new TargetNotAllowed((err as Error).message);
  }
  const secret = input.secret ?? newSecret();
  const id = randomUUID();
  const row = await withTransaction(deps.pool, async (c) => {
    if ((await countSubscriptions(c, input.recipient)) >= MAX_SUBSCRIPTIONS_PER_RECIPIENT) {
      throw new BridgeError('BRIDGE_UNPROCESSABLE', `A recipient has at most ${MAX_SUBSCRIPTIONS_PER_RECIPIENT} webhook subscriptions`, {
        errors: [fieldError('FIELD_OUT_OF_RANGE', '/url', 'the recipient has as many subscriptions as it may; remove one first')],
      });
    }
    const created = await insertSubscription(c, {
      id,
      recipient: input.recipient,
      url: input.url,
      eventTypes: input.eventTypes,
      secretSealed: deps.secrets.seal(secret),
      origin: 'api',
      createdBy: a.actor,
    });
    await appendProcessingLog(
      c,
      [entry(a, input.recipient, { change: 'subscription-created', subscriptionId: id, host: new URL(input.url).host, eventTypes: input.eventTypes })],
      `webhook:${input.recipient}`,
    );
    return created;
  });
  return { ...subscriptionView(row), secret };
}

export async function removeSubscription(deps: SubscriptionDeps, a: Acting, recipient: string, id: string): Promise<boolean> {
  return withTransaction(deps.pool, async (c) => {
    if (!(await deleteSubscription(c, recipient, id))) return false;
    await appendProcessingLog(c, [entry(a, recipient, { change: 'subscription-deleted', subscriptionId: id })], `webhook:${recipient}`);
    return true;
  });
}

/** Asks for a dead letter to be sent again (same webhook-id); false when the subscription has no such dead letter. */
export async function redriveDeadLetter(deps: SubscriptionDeps, a: Acting, recipient: string, id: string, eventId: string): Promise<boolean> {
  return withTransaction(deps.pool, async (c) => {
    if (!(await findSubscription(c, recipient, id)) || !(await requestRedrive(c, id, eventId))) return false;
    await appendProcessingLog(c, [entry(a, recipient, { change: 'dead-letter-redriven', subscriptionId: id, eventId })], `webhook:${recipient}`);
    return true;
  });
}

export async function discardDeadLetterOf(deps: SubscriptionDeps, a: Acting, recipient: string, id: string, eventId: string): Promise<boolean> {
  return withTransaction(deps.pool, async (c) => {
    if (!(await findSubscription(c, recipient, id))) return false;
    const discarded = await discardDeadLetter(c, id, eventId);
    if (!discarded) return false;
    await appendProcessingLog(
      c,
      [entry(a, recipient, { change: 'dead-letter-discarded', subscriptionId: id, eventId, recordId: discarded.recordId, reason: discarded.reason })],
      `webhook:${recipient}`,
    );
    return true;
  });
}

/** Brings the configuration-declared subscriptions into the table at start: new ones created, changed ones
 * updated (their cursor kept); each change logged, with 'configuration' as the actor. */
export async function applyDeclaredSubscriptions(deps: SubscriptionDeps, declared: readonly DeclaredSubscription[], traceId: string): Promise<number> {
  const a = { actor: 'configuration', traceId };
  let changed = 0;
  for (const d of declared) {
    await checkTarget(d.url, deps.allowed, deps.resolve);
    const s = {
      id: d.id,
      recipient: d.recipient,
      url: d.url,
      eventTypes: d.eventTypes,
      secretSealed: deps.secrets.seal(d.secret),
      origin: 'config' as const,
      createdBy: a.actor,
    };
    await withTransaction(deps.pool, async (c) => {
      const existing = await findSubscription(c, null, d.id);
      if (existing && existing.origin !== 'config') throw new Error(`webhook subscription ${d.id} exists and was made through the API`);
      if (existing && existing.recipient !== d.recipient) throw new Error(`webhook subscription ${d.id} belongs to another recipient`);
      // The sealed secret differs on every seal (a fresh IV): compare the secret itself.
      const same =
        existing && existing.url === d.url && existing.eventTypes.join() === d.eventTypes.join() && deps.secrets.open(existing.secretSealed) === d.secret;
      if (same) return;
      if (existing) await updateConfiguredSubscription(c, s);
      else await insertSubscription(c, s);
      await appendProcessingLog(
        c,
        [
          entry(a, d.recipient, {
            change: existing ? 'subscription-updated' : 'subscription-created',
            subscriptionId: d.id,
            host: new URL(d.url).host,
            eventTypes: d.eventTypes,
          }),
        ],
        `webhook:${d.recipient}`,
      );
      changed++;
    });
  }
  return changed;
}

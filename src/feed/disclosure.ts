// The processing-log entries of events handed out through the feed or sent again by a replay. One entry per
// retrieval (or replay) and record kind, naming the recipient, who asked and the ce_ids: the person is reached
// through the events' records, never named here.
import type { ExchangePlan } from '../exchange/plan.ts';
import type { LogEntry } from '../processing-log/entry.ts';

const TYPE_PREFIX = 'nl.justitieketen.zsm.';

/** The record kind an event type belongs to (nl.justitieketen.zsm.<kind>.<what>). */
export function kindOfEventType(type: string): string {
  return type.startsWith(TYPE_PREFIX) ? (type.slice(TYPE_PREFIX.length).split('.')[0] ?? 'unknown') : 'unknown';
}

export function feedDisclosureEntries(
  plan: ExchangePlan,
  a: {
    traceId: string;
    actor: string;
    recipient: string;
    events: readonly { eventId: string; eventType: string }[];
    startedAt: Date;
    detail: Record<string, unknown>;
  },
): LogEntry[] {
  const byKind = new Map<string, string[]>();
  for (const e of a.events) {
    const kind = kindOfEventType(e.eventType);
    byKind.set(kind, [...(byKind.get(kind) ?? []), e.eventId]);
  }
  const endedAt = new Date();
  return [...byKind].map(([kind, eventIds]) => ({
    operation: 'disclosed',
    status: 'ok',
    traceId: a.traceId,
    actor: a.actor,
    subjectId: null,
    recordId: null,
    recordKind: kind,
    recipient: a.recipient,
    fields: null,
    legalBasis: null,
    purpose: null,
    processingActivity: plan.processingActivity(kind),
    startedAt: a.startedAt,
    endedAt,
    detail: { ...a.detail, events: eventIds.length, eventIds },
  }));
}

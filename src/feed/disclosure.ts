// The processing-log entries of events handed out through the feed or sent again by a replay. One entry per
// retrieval (or replay) and record kind, naming the recipient, who asked and the ce_ids: the person is reached
// through the events' records, never named here. Retrievals answered from one read of the feed hand out the same
// events: the first entry of each kind lists their ce_ids, the others name that entry (decision 0115).
import { randomUUID } from 'node:crypto';
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

/**
 * Entries of one retrieval, for a read whose events an earlier entry may already list: per kind, the entry named
 * in `listed` stands for the ce_ids (`eventIdsIn`, its entryId; the count stays), otherwise this entry lists them
 * under an id chosen here, which is added to `listed`. The caller stores an entry that is named no later than the
 * entries that name it, in the same chain.
 */
export function shareEventIds(entries: readonly LogEntry[], listed: Map<string, string>): LogEntry[] {
  return entries.map((e) => {
    const kind = e.recordKind ?? 'unknown';
    const lister = listed.get(kind);
    if (lister !== undefined) {
      const { eventIds: _ids, ...rest } = e.detail ?? {};
      return { ...e, detail: { ...rest, eventIdsIn: lister } };
    }
    const entryId = randomUUID();
    listed.set(kind, entryId);
    return { ...e, entryId };
  });
}

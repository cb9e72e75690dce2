// The domestic-violence history, enriched: the incidents the advice lists plus those the bridge holds from ZSM
// case events about the same person, each entry marked with where it comes from. The case events arrive with
// their own issue; until then the source finds nothing and the history is the advice's own.
import type { Advice } from '../records/advice.ts';

export interface IncidentOrigin {
  /** 'gcos': the advice itself; 'zsm': a ZSM case event. */
  system: 'gcos' | 'zsm';
  /** The advice id, or the case event's id (its ce_id): enough to find it again, no personal data. */
  reference: string;
}

export interface Incident {
  date: string;
  /** Codes from the advice schema's closed lists (incident kind, subject role). */
  kind: string;
  subjectRole: string;
  summary?: string;
}

export interface SourcedIncident extends Incident {
  origin: IncidentOrigin;
}

export interface HistoryEntry extends Incident {
  sources: IncidentOrigin[];
}

const keyOf = (i: Incident) => `${i.date}|${i.kind}|${i.subjectRole}`;

/** The advice's incidents and the found ones, one entry per (date, kind, role), oldest first. An incident both
 * sides know keeps the advice's summary and lists both sources. */
export function mergeIncidentHistory(advice: Pick<Advice, 'adviceId' | 'domesticViolence'>, found: readonly SourcedIncident[]): HistoryEntry[] {
  const entries = new Map<string, HistoryEntry>();
  const own: SourcedIncident[] = (advice.domesticViolence.incidents ?? []).map((i) => ({ ...i, origin: { system: 'gcos', reference: advice.adviceId } }));
  for (const { origin, ...incident } of [...own, ...found]) {
    const key = keyOf(incident);
    const entry = entries.get(key);
    if (!entry) entries.set(key, { ...incident, sources: [origin] });
    else if (!entry.sources.some((s) => s.system === origin.system && s.reference === origin.reference)) entry.sources.push(origin);
  }
  // Array.prototype.sort is stable: same-day incidents keep the advice's order.
  return [...entries.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

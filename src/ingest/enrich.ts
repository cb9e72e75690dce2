// Envelope members that come from what the bridge already holds, added after the verdict (which must not depend
// on them: the offline validator holds nothing). Today: a domestic-violence advice's incident history, merged
// with the incidents of ZSM case events about the same person.
import type { Advice } from './kinds/advice.ts';
import { mergeIncidentHistory, type IncidentSource } from '../quality/enrichment.ts';
import type { PreparedRecord } from './pipeline.ts';
import type { Queryable } from '../store/pool.ts';

export async function enrichPrepared<T>(p: PreparedRecord<T>, incidents: IncidentSource, db?: Queryable): Promise<PreparedRecord<T>> {
  if (p.kind.name !== 'advice' || !(p.record as Advice).domesticViolence.flag) return p;
  const adviceId = (p.record as Advice).adviceId;
  const found = await incidents.incidentsFor(p.row.subjectKey, db);
  const outbox = p.outbox.map((row) => {
    const envelope = JSON.parse(row.payload) as { record?: Partial<Advice> };
    const dv = envelope.record?.domesticViolence;
    // Deny by default: only a recipient whose view holds the incident history gets it enriched.
    if (!dv?.incidents) return row;
    const incidentHistory = mergeIncidentHistory({ adviceId, domesticViolence: dv }, found);
    return { ...row, payload: JSON.stringify({ ...envelope, incidentHistory }) };
  });
  return { ...p, outbox };
}

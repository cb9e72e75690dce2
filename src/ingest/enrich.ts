// Envelope members that come from what the bridge already holds, added after the verdict (which must not depend
// on them: the offline validator holds nothing). Today: a domestic-violence advice's incident history, merged
// with the incidents of ZSM case events about the same person.
import type { Advice } from '../records/advice.ts';
import type { IncidentSource } from '../feedback/incident-source.ts';
import { mergeIncidentHistory } from '../quality/enrichment.ts';
import type { PreparedRecord } from './prepare.ts';
import type { Queryable } from '../store/pool.ts';

export async function enrichPrepared<T>(p: PreparedRecord<T>, incidents: IncidentSource, db?: Queryable): Promise<PreparedRecord<T>> {
  if (p.kind.name !== 'advice' || !(p.record as Advice).domesticViolence.flag) return p;
  const adviceId = (p.record as Advice).adviceId;
  const found = await incidents.incidentsFor(p.row.subjectKey, db);
  const outbox = p.outbox.map((row, i) => {
    const dv = (p.views[i] as Partial<Advice> | undefined)?.domesticViolence;
    // Deny by default: only a recipient whose view holds the incident history gets it enriched.
    if (!dv?.incidents) return row;
    const incidentHistory = mergeIncidentHistory({ adviceId, domesticViolence: dv }, found);
    // The payload is a JSON object: the history goes in as its last member, without parsing and writing the rest
    // again. The bytes are those of JSON.stringify({ ...envelope, incidentHistory }).
    return { ...row, payload: `${row.payload.slice(0, -1)},"incidentHistory":${JSON.stringify(incidentHistory)}}` };
  });
  return { ...p, outbox };
}

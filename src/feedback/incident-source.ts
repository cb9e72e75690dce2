// The incidents ZSM told the bridge about (a suspect who entered ZSM for domestic violence), for the history of a
// domestic-violence advice about the same person (merged by src/quality/enrichment.ts).
import type { SourcedIncident } from '../quality/enrichment.ts';
import type { Pool, Queryable } from '../store/pool.ts';
import { caseEventIncidentsOf } from '../store/records-repo.ts';

/** Where the bridge looks up incidents it already holds about a person, by the internal pseudonym
 * (records.subject_key). */
export interface IncidentSource {
  /** On `db` (the caller's transaction) when given. */
  incidentsFor(subjectKey: string, db?: Queryable): Promise<SourcedIncident[]>;
}

export const NO_INCIDENTS: IncidentSource = { incidentsFor: async () => [] };

export function caseEventIncidents(pool: Pool): IncidentSource {
  return {
    async incidentsFor(subjectKey, db?: Queryable) {
      const found = await caseEventIncidentsOf(db ?? pool, subjectKey);
      return found.map((r): SourcedIncident => ({
        date: r.incident.date,
        kind: r.incident.kind,
        subjectRole: r.incident.subjectRole,
        origin: { system: 'zsm', reference: r.eventId },
      }));
    },
  };
}

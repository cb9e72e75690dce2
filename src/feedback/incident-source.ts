// The incidents ZSM told the bridge about (a suspect who entered ZSM for domestic violence), for the history of a
// domestic-violence advice about the same person (src/quality/enrichment.ts).
import type { IncidentSource, SourcedIncident } from '../quality/enrichment.ts';
import type { Pool, Queryable } from '../store/pool.ts';

export function caseEventIncidents(pool: Pool): IncidentSource {
  return {
    async incidentsFor(subjectKey, db?: Queryable) {
      const { rows } = await (db ?? pool).query<{ event_id: string; incident: { date: string; kind: string; subjectRole: string } }>({
        name: 'case-event-incidents',
        text: /* sql */ `SELECT external_id AS event_id, body -> 'entry' -> 'incident' AS incident FROM records
         WHERE kind = 'case-event' AND subject_key = $1 AND body ->> 'eventType' = 'suspect-entered-zsm'
           AND body -> 'entry' ? 'incident'
         ORDER BY received_at`,
        values: [subjectKey],
      });
      return rows.map((r): SourcedIncident => ({
        date: r.incident.date, kind: r.incident.kind, subjectRole: r.incident.subjectRole,
        origin: { system: 'zsm', reference: r.event_id },
      }));
    },
  };
}

// Finds what a prepared record answers, consults or decides on (src/feedback/link.ts), and prepares it again when
// that adds a recipient: a decision also goes to the Veiligheidshuis that gave the advice.
import { planLinks } from '../feedback/link.ts';
import type { PoolClient, Queryable } from '../store/pool.ts';
import type { RecordKind } from './kinds/kind.ts';
import { prepareRecord, type IngestDeps, type IngestInput, type PreparedRecord } from './prepare.ts';

/** Reads on `db` (the ingest's own connection) when given, else on a connection of the pool. */
export async function linkPrepared<T>(
  deps: IngestDeps,
  kind: RecordKind<T>,
  input: IngestInput,
  p: PreparedRecord<T>,
  db?: Queryable,
): Promise<PreparedRecord<T>> {
  if (!deps.regions) return p;
  const client = db ?? (await deps.pool.connect());
  let plan;
  try {
    plan = await planLinks(client, deps.regions, kind.name, p.record, p.row.subjectKey);
  } finally {
    if (!db) (client as PoolClient).release();
  }
  if (plan.links.length === 0) return p;
  const again = plan.alsoToRegions.length > 0 ? prepareRecord(deps, kind, { ...input, alsoToRegions: plan.alsoToRegions }) : p;
  return { ...again, links: plan.links };
}

// Reads the processing log for assertions.
import type { Pool } from '../../src/store/pool.ts';

export interface LogRow {
  id: string;
  operation: string;
  status: string;
  trace_id: string;
  actor: string;
  subject_id: string | null;
  record_id: string | null;
  record_kind: string | null;
  recipient: string | null;
  fields: string[] | null;
  legal_basis: string | null;
  purpose: string | null;
  processing_activity: string;
  detail: Record<string, unknown> | null;
}

export async function logRows(pool: Pool, where = 'TRUE', params: unknown[] = []): Promise<LogRow[]> {
  const { rows } = await pool.query<LogRow>(`SELECT * FROM processing_log WHERE ${where} ORDER BY id`, params);
  return rows;
}

// The PostgreSQL settings the bridge's durability depends on, as its own role sees them in its own database.
import type { PostgresSettings } from '../deployment/findings.ts';
import type { Pool } from './pool.ts';

export async function readPostgresSettings(pool: Pool): Promise<PostgresSettings> {
  const { rows } = await pool.query<PostgresSettings>(/* sql */ `
    SELECT current_setting('synchronous_commit') AS "synchronousCommit",
           current_setting('synchronous_standby_names') AS "synchronousStandbyNames",
           current_setting('fsync') AS "fsync",
           current_setting('full_page_writes') AS "fullPageWrites"`);
  return rows[0]!;
}

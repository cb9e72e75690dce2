// Start-up checks that turn a missing or unmigrated database into one clear sentence instead of a stack trace.
import { readMigrations } from './migrate.ts';
import type { Pool } from './pool.ts';

/** Where the database is, without credentials. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Returns a problem sentence, or undefined when the database answers (and is migrated, unless migrating next). */
export async function checkDatabase(pool: Pool, url: string, willMigrate: boolean): Promise<string | undefined> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return `cannot reach the database at ${describeDatabase(url)}: ${e.code ?? ''} ${e.message ?? ''}`.trim();
  }
  if (willMigrate) return undefined;
  const latest = readMigrations().at(-1)?.version ?? 0;
  try {
    const { rows } = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const v = rows[0]?.v ?? 0;
    if (v < latest)
      return `the database at ${describeDatabase(url)} is at migration ${v}, the code needs ${latest}: run \`npm run migrate\` or set MIGRATE_ON_START=true`;
  } catch {
    return `the database at ${describeDatabase(url)} has not been migrated: run \`npm run migrate\` or set MIGRATE_ON_START=true`;
  }
  return undefined;
}

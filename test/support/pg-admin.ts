// Database-level statements for the test set-up (CREATE/DROP DATABASE cannot run inside a pool's transaction).
import pg from 'pg';

export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(serverUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
  const c = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await c.connect();
  try {
    return await c.query<R>(sql, params);
  } finally {
    await c.end();
  }
}

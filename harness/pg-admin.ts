// Statements on a connection of their own: database-level ones (CREATE/DROP DATABASE cannot run inside a pool's
// transaction), and queries on a server that may have been restarted since the last one (a pool would hand out a
// dead connection).
import pg from 'pg';

/** The URL of another database on the same server (same user, host and options). */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The database a URL names. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Runs `fn` on one new connection and closes it, also when `fn` throws (a failed close never hides fn's error). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>, connectTimeoutMs = 5_000): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  try {
    await c.connect();
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
  connectTimeoutMs?: number,
): Promise<pg.QueryResult<R>> {
  return withClient(url, (c) => c.query<R>(sql, params), connectTimeoutMs);
}

/** Undefined when the server answers a query, else what went wrong (so a caller that gives up can say why). */
export async function pgRefusal(url: string, connectTimeoutMs: number): Promise<string | undefined> {
  try {
    await adminQuery(url, 'SELECT 1', [], connectTimeoutMs);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

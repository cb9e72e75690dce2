// The PostgreSQL pool. Short connect timeout: when the database is gone, requests fail fast with 503
// instead of piling up behind a pool that waits forever.
import pg from 'pg';
import type { Logger } from '../logger.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolSettings {
  databaseUrl: string;
  pgPoolMax?: number;
  pgStatementTimeoutMs?: number;
  pgConnectTimeoutMs?: number;
}

export function createPool(settings: PoolSettings, logger: Logger, applicationName = 'gcos-zsm-bridge'): Pool {
  const pool = new pg.Pool({
    connectionString: settings.databaseUrl,
    max: settings.pgPoolMax ?? 10,
    connectionTimeoutMillis: settings.pgConnectTimeoutMs ?? 3_000,
    statement_timeout: settings.pgStatementTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
    application_name: applicationName,
  });
  // An idle client losing its connection (database restart) emits here; without a listener the process dies.
  pool.on('error', (err) => logger.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'idle PostgreSQL connection lost'));
  // A checked-out client has no pool listener (pg-pool removes it at checkout), yet pg emits 'error' on the
  // client when its socket dies, even while a query runs: unhandled, that kills the process on a database
  // restart. The query in flight still fails (and answers 503); the pool drops the broken client at release.
  pool.on('connect', (client) => {
    client.on('error', (err: Error & { code?: string }) =>
      logger.warn({ err: { message: err.message, code: err.code } }, 'PostgreSQL connection lost while in use'),
    );
  });
  return pool;
}

/** Resolves when the database answers a query. */
export async function pingDatabase(pool: Pool): Promise<void> {
  await pool.query(/* sql */ `SELECT 1`);
}

/** True for errors that mean "the database is unreachable or restarting", as opposed to a bug in a query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof CommitUncertainError) return true;
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  const code = e.code ?? '';
  // 57P01-03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions; 53300: too many connections.
  if (/^(57P0[1-3]|08...|53300)$/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  const m = e.message ?? '';
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(m);
}

/** The connection was lost (or the server shut down) while a commit was under way: the commit may or may not have
 * happened. Only what is read afterwards, on another connection, can tell. */
export class CommitUncertainError extends Error {
  constructor(cause: unknown) {
    super('the database connection was lost during the commit; its outcome is unknown', { cause });
    this.name = 'CommitUncertainError';
  }
}

/** The error of a statement that commits by itself (or of a COMMIT): an outage there leaves the outcome unknown,
 * as the statement may have reached the server; any other error is its own answer. */
export function uncertainIfLost(err: unknown): unknown {
  return isDatabaseUnavailable(err) ? new CommitUncertainError(err) : err;
}

/** A connection outside the pool, for sessions that must stay put: advisory locks and LISTEN. */
export function createSessionClient(databaseUrl: string, applicationName: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, application_name: applicationName, connectionTimeoutMillis: 3_000, keepAlive: true });
}

export type SessionClient = pg.Client;

/** Anything that runs queries inside a transaction: a pooled client or a session client. */
export type Queryable = pg.ClientBase;

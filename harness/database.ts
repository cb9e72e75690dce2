// Databases for one run, test file or scenario: created on a server (empty, migrated, or cloned from a migrated
// template), and dropped again.
import { createLogger } from '../src/logger.ts';
import { migrate } from '../src/store/migrate.ts';
import { createPool } from '../src/store/pool.ts';
import { adminQuery, databaseUrl } from './pg-admin.ts';

/** A database name as an SQL identifier; anything else is refused, as it goes into the statement's text. */
function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`refusing the database name ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export interface CreateOptions {
  /** Clone this database (a migrated template is much cheaper than migrating every new one). */
  template?: string;
  /** Apply the project's migrations to the new database. */
  migrate?: boolean;
}

/** Creates `name` on the server `serverUrl` names (any database of it) and returns the new database's URL. */
export async function createDatabase(serverUrl: string, name: string, options: CreateOptions = {}): Promise<string> {
  const template = options.template === undefined ? '' : ` TEMPLATE ${identifier(options.template)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${identifier(name)}${template}`);
  const url = databaseUrl(serverUrl, name);
  if (options.migrate) await migrateDatabase(url);
  return url;
}

export async function migrateDatabase(url: string): Promise<void> {
  const logger = createLogger('warn');
  const pool = createPool({ databaseUrl: url }, logger);
  try {
    await migrate(pool, logger);
  } finally {
    await pool.end();
  }
}

/** Drops a database, ending its sessions (a bridge killed a moment ago may still hold some). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`);
}

/** Drops every database whose name matches the LIKE pattern (a run's clean-up). */
export async function dropDatabasesLike(serverUrl: string, pattern: string): Promise<void> {
  const { rows } = await adminQuery<{ datname: string }>(serverUrl, 'SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
  for (const r of rows) await dropDatabase(serverUrl, r.datname);
}

/** Whether the server has a database of that name. */
export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  return (await adminQuery(serverUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount !== 0;
}

import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../../src/store/migrate.ts';
import { createPool, type Pool } from '../../../src/store/pool.ts';
import { adminQuery, databaseUrl } from '../../support/pg-admin.ts';

let pool: Pool;
const logger = createLogger('silent');

beforeAll(async () => {
  const name = `bridge_${inject('runId')}_m${randomBytes(3).toString('hex')}`;
  await adminQuery(inject('pgServerUrl'), `CREATE DATABASE ${name}`);
  pool = createPool({ databaseUrl: databaseUrl(inject('pgServerUrl'), name) }, logger);
});
afterAll(async () => {
  await pool?.end();
});

describe('migrations', () => {
  it('apply in order, are recorded, and running them twice changes nothing', async () => {
    const first = await migrate(pool, logger);
    expect(first.applied.length).toBe(readMigrations().length);
    const second = await migrate(pool, logger);
    expect(second.applied).toEqual([]);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
  });

  it('leave the outbox vacuumed after a fixed number of dead rows, not a fifth of the table (migration 091)', async () => {
    await migrate(pool, logger);
    const { rows } = await pool.query<{ reloptions: string[] | null }>(`SELECT reloptions FROM pg_class WHERE oid = 'outbox'::regclass`);
    expect(rows[0]?.reloptions).toEqual(expect.arrayContaining(['autovacuum_vacuum_scale_factor=0', 'autovacuum_vacuum_threshold=5000']));
  });

  it('run safely from several replicas at once', async () => {
    const results = await Promise.all([migrate(pool, logger), migrate(pool, logger), migrate(pool, logger)]);
    expect(results.flatMap((r) => r.applied)).toEqual([]);
  });

  it('refuse a migration that was edited after it was applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const first = readMigrations(dir)[0]!;
    writeFileSync(join(dir, `${String(first.version).padStart(3, '0')}_${first.name}.sql`), `${first.sql}\n-- edited\n`);
    await expect(migrate(pool, logger, dir)).rejects.toThrow(/was changed after it was applied/);
  });
});

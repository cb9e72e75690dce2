import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { createPool, type Pool } from '../../../src/store/pool.ts';
import { checkDatabase } from '../../../src/store/startup-check.ts';
import { emptyDatabase } from '../../support/bridge.ts';

const logger = createLogger('silent');
const pools: Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

async function emptyDb(): Promise<{ url: string; pool: Pool }> {
  const url = await emptyDatabase('c');
  const pool = createPool({ databaseUrl: url }, logger);
  pools.push(pool);
  return { url, pool };
}

describe('checkDatabase', () => {
  it('tells an unmigrated database, accepts it when migration comes next, and passes once migrated', async () => {
    const { url, pool } = await emptyDb();
    expect(await checkDatabase(pool, url, false)).toMatch(/has not been migrated: run `npm run migrate`/);
    expect(await checkDatabase(pool, url, true)).toBeUndefined();
    await migrate(pool, logger);
    expect(await checkDatabase(pool, url, false)).toBeUndefined();
  });

  it('tells a database behind the code', async () => {
    const { url, pool } = await emptyDb();
    await migrate(pool, logger);
    await pool.query('DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)');
    expect(await checkDatabase(pool, url, false)).toMatch(/is at migration \d+, the code needs \d+/);
  });

  it('tells an unreachable database without its password', async () => {
    const url = 'postgres://u:pw-secret@127.0.0.1:1/x';
    const pool = createPool({ databaseUrl: url, pgConnectTimeoutMs: 500 }, logger);
    pools.push(pool);
    const problem = await checkDatabase(pool, url, false);
    expect(problem).toMatch(/^cannot reach the database at 127\.0\.0\.1:1\/x/);
    expect(problem).not.toContain('pw-secret');
  });
});

// A pooled connection that dies while checked out (a database restart in the middle of a request) must fail
// the request, not the process: pg emits 'error' on the client, which pg-pool does not listen to at checkout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { createPool, isDatabaseUnavailable, type Pool } from '../../../src/store/pool.ts';
import { freshDatabase } from '../../support/bridge.ts';
import { LogCapture } from '../../support/log-capture.ts';

let pool: Pool;
let other: Pool;
const logs = new LogCapture();

beforeAll(async () => {
  const url = await freshDatabase();
  pool = createPool({ databaseUrl: url }, createLogger('warn', logs));
  other = createPool({ databaseUrl: url }, createLogger('warn'));
});
afterAll(async () => {
  await pool?.end();
  await other?.end();
});

describe('a checked-out connection lost', () => {
  it('between queries: the next query fails as "database unavailable", the process lives on', async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await other.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await expect.poll(() => logs.text(), { timeout: 5_000 }).toContain('PostgreSQL connection lost while in use');
    const err = await client.query('SELECT 1').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(err)).toBe(true);
    client.release(true);
  });

  it('during a query: that query fails as "database unavailable", and the pool serves the next one', async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const slow = client.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
    await other.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    expect(isDatabaseUnavailable(await slow)).toBe(true);
    client.release(true);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });
});

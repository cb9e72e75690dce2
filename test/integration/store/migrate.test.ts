import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { chainHash, entryBodyParts, GENESIS } from '../../../src/processing-log/entry.ts';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../../src/store/migrate.ts';
import { createPool, type Pool } from '../../../src/store/pool.ts';
import { emptyDatabase } from '../../support/bridge.ts';

let pool: Pool;
let url: string;
const logger = createLogger('silent');

beforeAll(async () => {
  url = await emptyDatabase('m');
  pool = createPool({ databaseUrl: url }, logger);
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

  it('keep the chain-head read on the index whatever the statistics say (migration 094)', async () => {
    await migrate(pool, logger);
    const session = new pg.Client({ connectionString: url });
    await session.connect();
    try {
      // Statistics of an empty log, and a session that plans the head read while the log is empty: plpgsql keeps
      // that plan (generic after five calls) until the statistics change, which without an ANALYZE they do not.
      await session.query('ANALYZE processing_log');
      const head = () => session.query<{ chain_seq: string | null }>('SELECT chain_seq FROM processing_log_lock_head(7, 9::smallint)');
      for (let i = 0; i < 8; i++) expect((await head()).rows[0]?.chain_seq).toBeNull();
      await pool.query(/* sql */ `INSERT INTO processing_log (entry_id, chain, chain_seq, operation, status, trace_id, actor, legal_basis, purpose,
          processing_activity, started_at, ended_at, detail, prev_hash, hash)
        SELECT gen_random_uuid(), 9, g, 'received', 'ok', md5(g::text), 'client:test', 'nl.wgs.art-2.3', 'zsm-afdoeningsadvies', 'urn:test',
          now(), now(), '{}'::jsonb, sha256(int4send(g - 1)), sha256(int4send(g))
        FROM generate_series(1, 20000) g`);
      // Scans of the log counted by this session (not yet flushed to the shared statistics, so read as a difference).
      const scans = async () =>
        (
          await session.query<{ seq_scan: string; idx_scan: string }>(
            `SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'processing_log'`,
          )
        ).rows[0]!;
      await session.query('BEGIN');
      const before = await scans();
      for (let i = 0; i < 3; i++) expect((await head()).rows[0]?.chain_seq).toBe('20000');
      const after = await scans();
      await session.query('COMMIT');
      // Three index scans that stop at the head, no reading of the whole table.
      expect({ seq: Number(after.seq_scan) - Number(before.seq_scan), idx: Number(after.idx_scan) - Number(before.idx_scan) }).toEqual({ seq: 0, idx: 3 });
    } finally {
      await session.end();
    }
  });

  it('hash log entries in PostgreSQL exactly as the bridge and the verifier do (migration 095)', async () => {
    await migrate(pool, logger);
    const entry = (n: number) => ({
      entryId: randomUUID(),
      chain: 3,
      operation: 'disclosed' as const,
      status: 'ok' as const,
      traceId: 'f'.repeat(32),
      actor: `client ${n} "quoted" Zoë`,
      subjectCommitment: null,
      recordId: randomUUID(),
      recordKind: 'advice',
      recipient: 'om',
      fields: ['/adviceId'],
      legalBasis: 'b',
      purpose: 'p',
      processingActivity: 'a',
      startedAt: new Date(),
      endedAt: new Date(),
      detail: { n, text: 'ß → ✓' },
    });
    const parts = [1, 2, 3].map((n) => entryBodyParts(entry(n)));
    for (const head of [
      { seq: null, hash: null },
      { seq: 41, hash: randomBytes(32) },
    ]) {
      const { rows } = await pool.query<{ ord: number; chain_seq: string; prev_hash: Buffer; hash: Buffer }>(
        'SELECT * FROM processing_log_chain_hashes($1, $2, $3, $4)',
        [head.seq, head.hash, parts.map((p) => p.before), parts.map((p) => p.after)],
      );
      let seq = head.seq ?? 0;
      let prev: Buffer = head.hash ?? GENESIS;
      expect(rows.map((r) => r.ord)).toEqual([1, 2, 3]);
      for (const [i, row] of rows.entries()) {
        const hash = chainHash(prev, ++seq, parts[i]!);
        expect({ seq: Number(row.chain_seq), prev: row.prev_hash.toString('hex'), hash: row.hash.toString('hex') }).toEqual({
          seq,
          prev: prev.toString('hex'),
          hash: hash.toString('hex'),
        });
        prev = hash;
      }
    }
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

// Migration 050 on a database that already holds advices: their valid-until comes from the body and their
// recipients from the outbox rows still held, so the expiry job can tell them too.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { migrate, MIGRATIONS_DIR } from '../../../src/store/migrate.ts';
import { createPool, type Pool } from '../../../src/store/pool.ts';
import { emptyDatabase } from '../../support/bridge.ts';

let pool: Pool;
const logger = createLogger('silent');

beforeAll(async () => {
  pool = createPool({ databaseUrl: await emptyDatabase('x') }, logger);
});
afterAll(async () => {
  await pool?.end();
});

describe('migration 050 (advice expiry)', () => {
  it('fills valid-until and the recipients of advices accepted before it', async () => {
    const before = mkdtempSync(join(tmpdir(), 'migrations-'));
    copyFileSync(join(MIGRATIONS_DIR, '001_records_outbox_jobs.sql'), join(before, '001_records_outbox_jobs.sql'));
    await migrate(pool, logger, before);
    const id = '00000000-0000-4000-8000-000000000050';
    await pool.query(
      `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt)
       VALUES ($1, 'advice', 'oin', 'OLD-1', 1, '\\x00', 'k1.subject', $2, '{}')`,
      [id, JSON.stringify({ validUntil: '2027-03-01' })],
    );
    await pool.query(
      `INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
       VALUES ($1, gen_random_uuid(), 'nl.justitieketen.zsm.advice.accepted', 'om-zsm', 'bridge.advice.om-zsm.v1', 'k1.key', 0, '{}', '{}')`,
      [id],
    );
    expect((await migrate(pool, logger)).applied).toContain('50_advice_expiry');
    const { rows } = await pool.query<{ valid_until: string }>(`SELECT valid_until::text FROM records WHERE id = $1`, [id]);
    expect(rows[0]!.valid_until).toBe('2027-03-01');
    const recipients = await pool.query(`SELECT recipient, topic, message_key, expiry_event_id FROM record_recipients WHERE record_id = $1`, [id]);
    expect(recipients.rows).toEqual([{ recipient: 'om-zsm', topic: 'bridge.advice.om-zsm.v1', message_key: 'k1.key', expiry_event_id: null }]);
  });
});

// The processing log: one entry per step per person, in the record's transaction; append-only in the database;
// hash-chained, so that changing one byte of an entry makes audit:verify fail and name that entry.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProcessingLog } from '../../../src/processing-log/verify.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { OM_ZSM, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { logRows } from '../../support/processing-log.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) => bridge.inject({ method: 'POST', url: '/v1/advices', payload: body as object, headers });

function auditVerify(): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['src/cli/main.ts', 'audit-verify'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], DATABASE_URL: bridge.config.databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout + r.stderr };
}

describe('processing log', () => {
  it('records receipt and each disclosure, with trace, actor, basis, purpose, activity and fields, never the BSN', async () => {
    const bsn = syntheticBsn(60);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await post(validAdvice({ adviceId: 'LOG-1', bsn }), { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    expect(res.statusCode).toBe(202);
    const id = res.json<{ id: string }>().id;
    const rows = await logRows(bridge.services.pool, 'record_id = $1', [id]);
    expect(rows.map((r) => `${r.operation}:${r.recipient ?? ''}`).sort()).toEqual([
      'disclosed:om-zsm',
      'disclosed:reclassering',
      'disclosed:slachtofferhulp',
      'received:',
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({
        status: 'ok',
        trace_id: traceId,
        actor: 'client:test-gcos',
        record_kind: 'advice',
        legal_basis: 'nl.wgs.art-2.3',
        purpose: 'zsm-afdoeningsadvies',
        processing_activity: 'urn:nld:gcos-zsm-bridge:verwerkingsactiviteit:zsm-advies',
      });
      expect(r.subject_id).toMatch(/^k1\.[A-Za-z0-9_-]{22}$/);
    }
    expect(new Set(rows.map((r) => r.subject_id)).size).toBe(1);
    const om = rows.find((r) => r.recipient === OM_ZSM)!;
    expect(om.fields).toEqual(expect.arrayContaining(['subject', 'goal', 'domesticViolence']));
    const victims = rows.find((r) => r.recipient === 'slachtofferhulp')!;
    expect(victims.fields).toEqual(expect.arrayContaining(['subject.bsn', 'recommendation.conditions[].code']));
    const { rows: raw } = await bridge.services.pool.query('SELECT * FROM processing_log WHERE record_id = $1', [id]);
    expect(JSON.stringify(raw)).not.toContain(bsn);
    // A replay stores nothing new, in the log neither.
    expect((await post(validAdvice({ adviceId: 'LOG-1', bsn }))).headers['idempotent-replayed']).toBe('true');
    expect(await logRows(bridge.services.pool, 'record_id = $1', [id])).toHaveLength(4);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const pool = bridge.services.pool;
    await expect(pool.query(`UPDATE processing_log SET purpose = 'x'`)).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM processing_log')).rejects.toThrow(/append-only/);
    await expect(pool.query('TRUNCATE processing_log')).rejects.toThrow(/append-only/);
    // Erasing the link to the person is the one change allowed, and only on its own.
    await expect(pool.query(`UPDATE processing_log SET subject_id = NULL, actor = 'x' WHERE subject_id IS NOT NULL`)).rejects.toThrow(/append-only/);
  });

  it('keeps every chain intact under concurrent writers', async () => {
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => post(validAdvice({ adviceId: `LOG-CONC-${i}`, bsn: syntheticBsn(61 + (i % 6)) }))));
    expect(results.map((r) => r.statusCode)).toEqual(Array(24).fill(202));
    const v = await verifyProcessingLog(bridge.services.pool);
    expect(v).toMatchObject({ intact: true, broken: [] });
    expect(v.entries).toBeGreaterThanOrEqual(24 * 4);
    expect(auditVerify()).toMatchObject({ status: 0, stdout: expect.stringContaining('processing log intact') });
    expect((await bridge.services.scheduler.runNow('audit-verify')).status).toBe('succeeded');
  });

  it('names the entry when one byte of it is changed behind the triggers, in audit:verify and in the daily job', async () => {
    const [victim] = await logRows(bridge.services.pool, `operation = 'disclosed' AND recipient = 'reclassering'`);
    // A database superuser can switch the triggers off; the chain still tells.
    const c = new pg.Client({ connectionString: bridge.config.databaseUrl });
    await c.connect();
    try {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`UPDATE processing_log SET recipient = 'reclasserinG' WHERE id = $1`, [victim!.id]);
    } finally {
      await c.end();
    }
    const v = await verifyProcessingLog(bridge.services.pool);
    expect(v.intact).toBe(false);
    expect(v.broken).toEqual([expect.objectContaining({ id: victim!.id, reason: expect.stringContaining('does not match its hash') })]);
    const cli = auditVerify();
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`at entry ${victim!.id} `);
    const job = await bridge.services.scheduler.runNow('audit-verify');
    expect(job).toMatchObject({ status: 'failed', detail: { error: expect.stringContaining(`at entry ${victim!.id} `) } });
  });

  it('names the entry after the gap when an entry is removed from the middle of a chain', async () => {
    const pool = bridge.services.pool;
    const { rows } = await pool.query<{ chain: number; chain_seq: string }>(
      `SELECT chain, chain_seq FROM processing_log p WHERE chain_seq = 2 AND chain <> (SELECT chain FROM processing_log WHERE recipient = 'reclasserinG')
       AND EXISTS (SELECT 1 FROM processing_log q WHERE q.chain = p.chain AND q.chain_seq = 3) LIMIT 1`,
    );
    const { chain } = rows[0]!;
    const c = new pg.Client({ connectionString: bridge.config.databaseUrl });
    await c.connect();
    try {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`DELETE FROM processing_log WHERE chain = $1 AND chain_seq = 2`, [chain]);
    } finally {
      await c.end();
    }
    const next = await pool.query<{ id: string }>(`SELECT id FROM processing_log WHERE chain = $1 AND chain_seq = 3`, [chain]);
    const v = await verifyProcessingLog(pool);
    expect(v.broken).toContainEqual(expect.objectContaining({ chain, id: next.rows[0]!.id, reason: expect.stringContaining('entries are missing') }));
  });
});

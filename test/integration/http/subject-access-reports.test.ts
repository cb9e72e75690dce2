// POST /v1/subject-access-reports: every record received about a person and every disclosure (recipient,
// fields, legal basis, time); nothing about anyone else; the report itself logged. Pseudonyms made with an
// earlier key are still found after a rotation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { logRows } from '../../support/processing-log.ts';

const OLD_KEY = 'test-only-pseudonym-secret-0123456789abcdef'; // the key testEnv gives every bridge
let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

interface Report {
  records: { id: string; externalId: string; status: string; data: { subject: { bsn: string } } | null }[];
  disclosures: { recordId: string; recipient: string; recipientName: string; fields: string[]; legalBasis: string; purpose: string; at: string }[];
  processing: { operation: string; actor: string; processingActivity: string }[];
}

const report = (b: TestBridge, body: unknown) => b.inject({ method: 'POST', url: '/v1/subject-access-reports', payload: body as object }, 'privacy');

describe('subject access reports', () => {
  it('lists every record about the person and every disclosure, and nothing about others', async () => {
    const person = syntheticBsn(70);
    const other = syntheticBsn(71);
    const ids: string[] = [];
    for (const [adviceId, bsn] of [
      ['SAR-1', person],
      ['SAR-2', person],
      ['SAR-3', other],
    ] as const) {
      const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId, bsn }) });
      expect(res.statusCode).toBe(202);
      ids.push(res.json<{ id: string }>().id);
    }
    const res = await report(bridge, { bsn: person, requestReference: 'AVG-2026/0042' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const r = res.json<Report>();
    expect(r.records.map((x) => x.externalId).sort()).toEqual(['SAR-1', 'SAR-2']);
    expect(r.records.every((x) => x.data?.subject.bsn === person)).toBe(true);
    expect(r.disclosures).toHaveLength(6); // two advices, three recipients each
    expect(new Set(r.disclosures.map((d) => d.recordId))).toEqual(new Set(ids.slice(0, 2)));
    const victims = r.disclosures.find((d) => d.recipient === 'slachtofferhulp')!;
    expect(victims).toMatchObject({
      recipientName: 'Slachtofferhulp Nederland',
      legalBasis: 'nl.wgs.art-2.3',
      purpose: 'zsm-afdoeningsadvies',
      at: expect.any(String),
    });
    expect(victims.fields).toContain('subject.bsn');
    expect(JSON.stringify(r)).not.toContain(other);
    // The report is a lookup of its own, logged with the privacy officer's reference.
    const lookups = await logRows(bridge.services.pool, `operation = 'looked-up'`);
    expect(lookups).toEqual([
      expect.objectContaining({ legal_basis: 'avg.art-15', detail: expect.objectContaining({ requestReference: 'AVG-2026/0042', records: 2 }) }),
    ]);
    const again = (await report(bridge, { bsn: person })).json<Report>();
    expect(again.processing.filter((p) => p.operation === 'looked-up')).toHaveLength(1);
  });

  it('takes the BSN only in the body, checks it, and answers an unknown person with an empty report', async () => {
    expect((await report(bridge, { bsn: '999990018' })).json()).toMatchObject({
      code: 'BRIDGE_UNPROCESSABLE',
      errors: [{ code: 'BSN_ELEVEN_TEST', pointer: '/bsn' }],
    });
    expect((await report(bridge, { bsn: '12345' })).statusCode).toBe(400);
    expect((await report(bridge, { bsn: syntheticBsn(70), extra: 1 })).statusCode).toBe(400);
    const none = (await report(bridge, { bsn: syntheticBsn(79) })).json<Report>();
    expect(none).toMatchObject({ records: [], disclosures: [] });
  });

  it('still finds what was stored under an earlier key after the key is rotated', async () => {
    const person = syntheticBsn(72);
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'SAR-ROT', bsn: person }) })).statusCode).toBe(202);
    const keys = join(mkdtempSync(join(tmpdir(), 'bridge-keys-')), 'keys');
    writeFileSync(keys, `k1=${OLD_KEY}\nk2=a-new-key-after-rotation-0123456789abcdef\n`);
    const rotated = await startBridge({
      databaseUrl: bridge.config.databaseUrl,
      relay: false,
      env: { PSEUDONYM_KEY: '', PSEUDONYM_KEYS_FILE: keys, PSEUDONYM_KEY_ID: 'k2' },
    });
    try {
      const res = await rotated.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'SAR-ROT-2', bsn: person }) });
      expect(res.statusCode).toBe(202);
      const key = await rotated.services.pool.query<{ subject_key: string }>('SELECT subject_key FROM records WHERE id = $1', [res.json<{ id: string }>().id]);
      expect(key.rows[0]!.subject_key).toMatch(/^k2\./);
      const r = (await report(rotated, { bsn: person })).json<Report>();
      expect(r.records.map((x) => x.externalId).sort()).toEqual(['SAR-ROT', 'SAR-ROT-2']);
      expect(r.disclosures).toHaveLength(6);
    } finally {
      await rotated.close();
    }
  });
});

// The known-person lookup: hit or no-hit, which Veiligheidshuis, its functional contact point and a current
// advice's id; nothing else. Every lookup is in the processing log, by pseudonym.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_PROCESSING_LOG } from '../../../src/privacy/pseudonym.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { logRows } from '../../support/processing-log.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

const lookup = (bsn: string) => bridge.inject({ method: 'POST', url: '/v1/known-person-lookups', payload: { bsn } }, 'zsm');

describe('POST /v1/known-person-lookups', () => {
  it('answers a hit with the Veiligheidshuis, its functional contact point and the current advice, and nothing else', async () => {
    const bsn = syntheticBsn(130);
    const current = validAdvice({ adviceId: 'KP-NOW', bsn });
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: current })).statusCode).toBe(202);
    const stored = await bridge.services.pool.query<{ id: string }>(`SELECT id FROM records WHERE external_id = 'KP-NOW'`);

    const res = await lookup(bsn);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const issuer = current['issuer'] as { oin: string; name: string };
    const contact = current['contactPoint'] as Record<string, string>;
    expect(res.json()).toEqual({
      result: 'hit',
      knownAt: [
        {
          veiligheidshuis: { oin: issuer.oin, name: issuer.name },
          contactPoint: contact,
          currentAdvice: { recordId: stored.rows[0]!.id, adviceId: 'KP-NOW', version: 1, validUntil: current['validUntil'] },
        },
      ],
    });
    expect(res.body).not.toContain(bsn);
    expect(res.body).not.toContain('Synthetisch');
  });

  it('answers no-hit for a person no Veiligheidshuis advised on', async () => {
    const res = await lookup(syntheticBsn(131));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ result: 'no-hit', knownAt: [] });
  });

  it('reports a Veiligheidshuis without a current advice when its advice has expired', async () => {
    const bsn = syntheticBsn(132);
    await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'KP-EXP', bsn }) });
    await bridge.services.pool.query(`UPDATE records SET status = 'expired' WHERE external_id = 'KP-EXP'`);
    const res = await lookup(bsn);
    expect(res.json()).toMatchObject({ result: 'hit', knownAt: [{ currentAdvice: null }] });
  });

  it('writes every lookup to the processing log, by pseudonym, without personal data', async () => {
    const bsn = syntheticBsn(133);
    await lookup(bsn);
    await lookup(bsn);
    const subjectId = bridge.services.pseudonymiser.pseudonym(bsn, DOMAIN_PROCESSING_LOG);
    const rows = await logRows(bridge.services.pool, `operation = 'looked-up' AND subject_id = $1`, [subjectId]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      legal_basis: 'nl.wgs.art-2.3',
      purpose: 'zsm-bekendheidscheck',
      processing_activity: 'urn:nld:gcos-zsm-bridge:verwerkingsactiviteit:bekendheidscheck',
    });
    expect(JSON.stringify(rows)).not.toContain(bsn);
  });

  it('refuses a BSN failing the eleven-test, and a BSN anywhere but the body', async () => {
    expect((await lookup('999990018')).json()).toMatchObject({ code: 'BRIDGE_UNPROCESSABLE', errors: [{ code: 'BSN_ELEVEN_TEST', pointer: '/bsn' }] });
    const inUrl = await bridge.inject({ method: 'GET', url: `/v1/known-person-lookups/${syntheticBsn(134)}` }, 'zsm');
    // Refused before routing matters: a nine-digit number in a URL is never taken (src/http/url-hygiene.ts).
    expect(inUrl.statusCode).toBe(400);
    expect(inUrl.json()).toMatchObject({ code: 'BRIDGE_URL_REFUSED' });
  });
});

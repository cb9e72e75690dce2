// A Veiligheidshuis submits only as itself, and reads only its own records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { GCOS_OIN, OTHER_VH_OIN } from '../../support/clients.ts';
import { countRows } from '../../support/db.ts';
import { FIXTURE_PERSONAL_DATA, syntheticBsn, validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { logRows } from '../../support/processing-log.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ relay: false });
});
afterAll(async () => {
  await bridge?.close();
});

describe('source binding', () => {
  it('refuses with 403 an advice a GCOS client submits for another Veiligheidshuis, stores nothing, and logs the refusal', async () => {
    const before = await countRows(bridge.services.pool);
    const logBefore = (await logRows(bridge.services.pool)).length;
    const bsn = syntheticBsn(40);
    // The other Veiligheidshuis's client sends an advice issued by the example Veiligheidshuis.
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'SRC-1', bsn, issuerOin: GCOS_OIN }) }, 'gcosOther');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_SOURCE_MISMATCH', status: 403 });
    expect(res.json<{ detail: string }>().detail).toContain(OTHER_VH_OIN);
    expect(await countRows(bridge.services.pool)).toEqual(before);

    // The processing log holds the refusal, with the client as actor and no subject.
    const refusals = (await logRows(bridge.services.pool)).slice(logBefore);
    expect(refusals).toEqual([
      expect.objectContaining({
        operation: 'refused',
        status: 'refused',
        actor: 'client:test-gcos-other',
        subject_id: null,
        record_id: null,
        record_kind: 'advice',
      }),
    ]);
    expect(refusals[0]!.detail).toMatchObject({ code: 'BRIDGE_SOURCE_MISMATCH' });
    expect(JSON.stringify(refusals)).not.toContain(bsn);

    const entry = bridge.logs.entries().find((e) => e['event'] === 'request-refused' && e['code'] === 'BRIDGE_SOURCE_MISMATCH');
    expect(entry).toMatchObject({ actor: 'client:test-gcos-other', route: '/v1/advices', method: 'POST', status: 403 });
    expect(JSON.stringify(entry)).toContain(GCOS_OIN);
    for (const personal of [bsn, ...FIXTURE_PERSONAL_DATA]) expect(bridge.logs.text()).not.toContain(personal);
  });

  it('accepts the same advice from the Veiligheidshuis that issued it', async () => {
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'SRC-1', bsn: syntheticBsn(40) }) }, 'gcos');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ source: GCOS_OIN });
  });

  it('checks the source before anything else: a malformed advice for another house is a 403; one without a readable issuer a 400', async () => {
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: { ...validAdvice({ issuerOin: GCOS_OIN }), extra: 1 } }, 'gcosOther');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_SOURCE_MISMATCH' });
    const { issuer: _i, ...noIssuer } = validAdvice();
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: noIssuer }, 'gcosOther')).statusCode).toBe(400);
    // Whatever the caller wrote where an OIN belongs stays out of the answer and the log.
    const named = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: { ...validAdvice(), issuer: { oin: 'Jansen', name: 'x' } } }, 'gcosOther');
    expect(named.statusCode).toBe(403);
    expect(named.body + bridge.logs.text()).not.toContain('Jansen');
  });

  it('binds ZSM case events to their source too', async () => {
    const event = validCaseEvent('suspect-entered-zsm', { bsn: syntheticBsn(42) });
    expect((await bridge.inject({ method: 'POST', url: '/v1/case-events', payload: event }, 'zsm')).statusCode).toBe(202);
    const foreign = await bridge.inject(
      { method: 'POST', url: '/v1/case-events', payload: { ...event, source: { ...(event['source'] as object), oin: OTHER_VH_OIN } } },
      'zsm',
    );
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ code: 'BRIDGE_SOURCE_MISMATCH' });
  });
});

describe('reading a record (object-level access)', () => {
  it('shows a record to its own organisation and to ops, and is "not found" for another Veiligheidshuis', async () => {
    const posted = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'SRC-READ-1', bsn: syntheticBsn(41) }) }, 'gcos');
    const { statusUrl } = posted.json<{ statusUrl: string }>();
    expect((await bridge.inject({ method: 'GET', url: statusUrl }, 'gcos')).statusCode).toBe(200);
    expect((await bridge.inject({ method: 'GET', url: statusUrl }, 'ops')).statusCode).toBe(200);
    const other = await bridge.inject({ method: 'GET', url: statusUrl }, 'gcosOther');
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'BRIDGE_NOT_FOUND' });
  });
});

// The feedback loop: ZSM asks for advice, the Veiligheidshuis advises, ZSM decides. The decision reaches the
// Veiligheidshuis that advised, and the advice's status shows the chain. ZSM's domestic-violence incidents
// enrich a later advice about the same person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { daysFromToday, OM_ZSM, syntheticBsn, validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

const post = async (url: string, body: unknown) => {
  const res = await bridge.inject({ method: 'POST', url, payload: body as object }, url.includes('case-events') ? 'zsm' : 'gcos');
  expect(res.statusCode, res.body).toBe(202);
  return res.json<{ id: string; statusUrl: string }>();
};

interface Chain {
  status: string;
  chain: { step: string; recordId: string; detail?: string }[];
}

const chainOf = async (statusUrl: string): Promise<Chain> => {
  const res = await bridge.inject({ method: 'GET', url: statusUrl });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Chain>();
};

describe('request, advice, decision', () => {
  it('links them, delivers the decision to the advising Veiligheidshuis, and shows the chain on the advice', async () => {
    const bsn = syntheticBsn(120);
    const caseRef = '10/120120-26';
    // The person lives in Amsterdam (VR13); the advising Veiligheidshuis is registered in Rotterdam-Rijnmond (VR17).
    const request = await post('/v1/case-events', validCaseEvent('advice-requested', { bsn, municipalityCode: 'GM0363', zsmCaseReference: caseRef }));
    const adviceBody = validAdvice({ adviceId: 'FB-1', bsn });
    adviceBody['zsmCaseReference'] = caseRef;
    (adviceBody['subject'] as Record<string, unknown>)['municipalityCode'] = 'GM0363';
    const advice = await post('/v1/advices', adviceBody);
    const issuerOin = (adviceBody['issuer'] as { oin: string }).oin;
    expect(await waitForDelivery(bridge.services.pool)).toBe(0); // ZSM reads the advice before it decides
    const decisionEvent = validCaseEvent('decision-taken', {
      bsn,
      municipalityCode: 'GM0363',
      zsmCaseReference: caseRef,
      details: {
        kind: 'voorwaardelijk-sepot',
        conditions: [{ code: 'contactverbod' }],
        veiligheidshuisApproachNeeded: true,
        relatedAdvice: { issuerOin, adviceId: 'FB-1', adviceVersion: 1 },
      },
    });
    decisionEvent['occurredAt'] = new Date().toISOString(); // decided after the advice came in
    const decision = await post('/v1/case-events', decisionEvent);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);

    // The decision went to the person's region and to the advising Veiligheidshuis's region, once each.
    const recipients = await bridge.services.pool.query<{ recipient: string }>('SELECT recipient FROM outbox WHERE record_id = $1 ORDER BY recipient', [
      decision.id,
    ]);
    expect(recipients.rows.map((r) => r.recipient)).toEqual(['vh-vr13', 'vh-vr17']);
    const atAdviser = await readTopic(bridge.topic('case-event', 'vh-vr17'), { count: 1, settleMs: 500 });
    expect(atAdviser.filter((m) => m.value.includes(decision.id))).toHaveLength(1);
    // The request went to the person's region only.
    const requestRecipients = await bridge.services.pool.query<{ recipient: string }>('SELECT recipient FROM outbox WHERE record_id = $1', [request.id]);
    expect(requestRecipients.rows.map((r) => r.recipient)).toEqual(['vh-vr13']);

    const status = await chainOf(advice.statusUrl);
    expect(status.chain.map((c) => `${c.step}:${c.recordId}`)).toEqual([
      `requested:${request.id}`,
      `advice-accepted:${advice.id}`,
      `advice-delivered:${advice.id}`,
      `decided:${decision.id}`,
    ]);
    expect(status.chain.at(-1)!.detail).toBe('voorwaardelijk-sepot');
  });

  it('links a decision by case number when it names no advice, but never across persons', async () => {
    const bsn = syntheticBsn(121);
    const caseRef = '10/121121-26';
    const adviceBody = validAdvice({ adviceId: 'FB-2', bsn });
    adviceBody['zsmCaseReference'] = caseRef;
    const advice = await post('/v1/advices', adviceBody);
    // Same case number, another person: no link.
    await post('/v1/case-events', validCaseEvent('decision-taken', { bsn: syntheticBsn(122), zsmCaseReference: caseRef }));
    const consulted = await post(
      '/v1/case-events',
      validCaseEvent('advice-consulted', {
        bsn,
        zsmCaseReference: caseRef,
        details: { adviceId: 'FB-2', adviceVersion: 1, issuerOin: (adviceBody['issuer'] as { oin: string }).oin },
      }),
    );
    const decidedEvent = validCaseEvent('decision-taken', { bsn, zsmCaseReference: caseRef });
    decidedEvent['occurredAt'] = new Date().toISOString();
    const decided = await post('/v1/case-events', decidedEvent);
    const status = await chainOf(advice.statusUrl);
    expect(status.chain.filter((c) => c.step === 'consulted' || c.step === 'decided').map((c) => `${c.step}:${c.recordId}`)).toEqual([
      `consulted:${consulted.id}`,
      `decided:${decided.id}`,
    ]);
  });
});

describe('incidents from ZSM in a domestic-violence advice', () => {
  it('adds the incidents of earlier case events about the person, marked as coming from ZSM', async () => {
    const bsn = syntheticBsn(123);
    const incident = { date: daysFromToday(-2), kind: 'bedreiging', subjectRole: 'pleger' };
    const entered = validCaseEvent('suspect-entered-zsm', { bsn, details: { detained: true, incident } });
    await post('/v1/case-events', entered);
    const advice = await post('/v1/advices', validAdvice({ adviceId: 'FB-DV', bsn }));
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const om = await readTopic(bridge.topic('advice', OM_ZSM), { count: 10, timeoutMs: 8_000, settleMs: 500 });
    const message = om.find((m) => m.value.includes(advice.id))!;
    const history = (JSON.parse(message.value) as { incidentHistory: { kind: string; date: string; sources: { system: string; reference: string }[] }[] })
      .incidentHistory;
    expect(history.find((h) => h.kind === 'bedreiging')).toEqual({ ...incident, sources: [{ system: 'zsm', reference: entered['eventId'] }] });
    expect(history.filter((h) => h.sources.some((s) => s.system === 'gcos'))).toHaveLength(2);
  });
});

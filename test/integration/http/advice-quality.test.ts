// Quality findings through the real service: in the receipt (in the client's language), in the message to ZSM,
// as a 422 listing every failed criterion, and counted per criterion and Veiligheidshuis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_VH_OIN } from '../../support/clients.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { countRows, waitForDelivery } from '../../support/db.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { OM_ZSM } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) => bridge.inject({ method: 'POST', url: '/v1/advices', payload: body as object, headers });

interface Quality {
  language: string;
  criteria: Record<string, string>;
  findings: { criterion: string; code: string; severity: string; pointer: string; message: string }[];
}

/** Meets every criterion except "goal" (one word: a warning by default). */
function briefGoalAdvice(adviceId: string, bsn: string) {
  return { ...validAdvice({ adviceId, bsn }), goal: 'Behandeling.' };
}

describe('quality findings of an accepted advice', () => {
  it("come back in the receipt in the client's language and travel to ZSM in Dutch, next to the untouched record", async () => {
    const advice = briefGoalAdvice('VH-Q-WARN-1', syntheticBsn(40));
    const res = await post(advice, { 'accept-language': 'en-GB, nl;q=0.5' });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-language']).toBe('en');
    const receipt = res.json<{ id: string; quality: Quality }>();
    expect(receipt.quality).toEqual({
      language: 'en',
      criteria: { current: 'met', goal: 'warning', context: 'met', 'legal-language': 'met', concise: 'met', 'domestic-violence': 'met' },
      findings: [{ criterion: 'goal', code: 'GOAL_TOO_BRIEF', severity: 'warn', pointer: '/goal', message: expect.stringContaining('at least 3') }],
    });

    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const messages = await readTopic(bridge.topic('advice', OM_ZSM), { count: 1, settleMs: 500 });
    const mine = messages
      .map((m) => JSON.parse(m.value) as { recordId: string; record: unknown; quality: Quality; incidentHistory: { sources: unknown[] }[] })
      .filter((v) => v.recordId === receipt.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.record).toEqual(advice);
    expect(mine[0]!.quality).toEqual({
      ...receipt.quality,
      language: 'nl',
      findings: [expect.objectContaining({ code: 'GOAL_TOO_BRIEF', message: expect.stringContaining('minstens 3') })],
    });
    // Domestic violence flagged: the history travels with each incident's source (here only the advice itself).
    expect(mine[0]!.incidentHistory).toEqual([
      expect.objectContaining({ kind: 'psychisch-geweld', sources: [{ system: 'gcos', reference: 'VH-Q-WARN-1' }] }),
      expect.objectContaining({ kind: 'fysiek-geweld', sources: [{ system: 'gcos', reference: 'VH-Q-WARN-1' }] }),
    ]);
  });

  it('a replay in another language gets the same findings in that language', async () => {
    const advice = briefGoalAdvice('VH-Q-WARN-2', syntheticBsn(41));
    const first = await post(advice, { 'accept-language': 'nl' });
    const again = await post(advice, { 'accept-language': 'en' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    const [a, b] = [first.json<{ id: string; quality: Quality }>(), again.json<{ id: string; quality: Quality }>()];
    expect(b.id).toBe(a.id);
    expect(a.quality.findings[0]!.message).toMatch(/minstens/);
    expect(b.quality.findings[0]!.message).toMatch(/at least/);
    expect(b.quality.findings.map((f) => f.code)).toEqual(a.quality.findings.map((f) => f.code));
  });
});

describe('an advice refused on quality', () => {
  it('is a 422 problem listing every failed criterion with code and pointer, and nothing is stored', async () => {
    const advice = { ...validAdvice({ adviceId: 'VH-Q-REFUSE-1', bsn: syntheticBsn(42) }), goal: 'zie dossier' } as Record<string, unknown>;
    advice['context'] = { system: 'n.v.t.', environment: 'Werkloos sinds vorig jaar, geen vaste woonplek.' };
    advice['domesticViolence'] = { flag: true };
    const before = await countRows(bridge.services.pool);
    const res = await post(advice, { 'accept-language': 'nl-NL' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['content-language']).toBe('nl');
    const problem = res.json<{ code: string; errors: { code: string; pointer: string; criterion: string; detail: string }[]; quality: Quality }>();
    expect(problem.code).toBe('BRIDGE_UNPROCESSABLE');
    expect(problem.errors.map((e) => `${e.criterion} ${e.code} ${e.pointer}`).sort()).toEqual([
      'context CONTEXT_MISSING /context/system',
      'domestic-violence DV_HISTORY_MISSING /domesticViolence/incidents',
      'goal GOAL_MISSING /goal',
    ]);
    expect(problem.errors.every((e) => e.detail.length > 10)).toBe(true);
    expect(problem.quality.criteria).toMatchObject({ goal: 'refused', context: 'refused', 'domestic-violence': 'refused', current: 'met' });
    expect(await countRows(bridge.services.pool)).toEqual(before);
  });
});

describe('quality metrics', () => {
  it('count each judged advice once per criterion and Veiligheidshuis, refusals included, replays not', async () => {
    // Another Veiligheidshuis than the other tests in this file use, submitting as itself (source binding).
    const oin = OTHER_VH_OIN;
    const asOther = (body: unknown) => bridge.inject({ method: 'POST', url: '/v1/advices', payload: body as object }, 'gcosOther');
    const warned = { ...briefGoalAdvice('VH-Q-MET-1', syntheticBsn(43)), issuer: { oin, name: 'ZVH Metriekregio' } };
    expect((await asOther(warned)).statusCode).toBe(202);
    expect((await asOther(warned)).statusCode).toBe(202); // replay
    const refused = { ...warned, adviceId: 'VH-Q-MET-2', goal: 'n.v.t.' };
    expect((await asOther(refused)).statusCode).toBe(422);
    const text = (await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops')).body;
    expect(text).toContain(`bridge_quality_criteria_total{criterion="goal",outcome="warning",issuer="${oin}"} 1`);
    expect(text).toContain(`bridge_quality_criteria_total{criterion="goal",outcome="refused",issuer="${oin}"} 1`);
    expect(text).toContain(`bridge_quality_criteria_total{criterion="current",outcome="met",issuer="${oin}"} 2`);
    expect(text).toContain(`bridge_quality_findings_total{criterion="goal",code="GOAL_TOO_BRIEF",severity="warn",issuer="${oin}"} 1`);
    expect(text).toContain(`bridge_quality_findings_total{criterion="goal",code="GOAL_MISSING",severity="refuse",issuer="${oin}"} 1`);
  });
});

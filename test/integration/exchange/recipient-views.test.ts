// Each recipient receives, on its own topic, only the view the exchange policy grants it; and editing one grant
// in the policy file changes what that recipient receives, with no change to the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { daysFromToday, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic, type ReceivedMessage } from '../../support/kafka-consumer.ts';
import { writePolicyVariant } from '../../support/policy.ts';

let bridge: TestBridge;
let edited: TestBridge;
beforeAll(async () => {
  // The operator's change: Halt gets the BSN itself instead of a pseudonym, and no longer the name.
  const policyFile = writePolicyVariant((p) => {
    const halt = p.kinds['advice']!.recipients['halt']!;
    halt.fields['subject.bsn'] = 'keep';
    delete halt.fields['subject.name'];
  });
  [bridge, edited] = await Promise.all([startBridge(), startBridge({ env: { EXCHANGE_POLICY_FILE: policyFile } })]);
});
afterAll(async () => {
  await Promise.all([bridge?.close(), edited?.close()]);
});

/** A juvenile referred to Halt: the OM, the Child Protection Board and Halt receive it. */
function juvenileHaltAdvice(adviceId: string, bsn: string) {
  const a = validAdvice({ adviceId, bsn }) as Record<string, unknown> & { subject: Record<string, unknown> };
  a.subject['dateOfBirth'] = daysFromToday(-15 * 366);
  a['recommendation'] = { disposal: 'halt', conditions: [{ code: 'schadevergoeding', detail: 'Herstel van de schade aan de bushalte.' }] };
  a['domesticViolence'] = { flag: false };
  return a;
}

async function messageFor(b: TestBridge, recipient: string, recordId: string): Promise<ReceivedMessage> {
  const messages = await readTopic(b.topic('advice', recipient), { count: 1, settleMs: 500 });
  const mine = messages.filter((m) => (JSON.parse(m.value) as { recordId: string }).recordId === recordId);
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

describe('recipient views on their own topics', () => {
  it('gives each recipient only its granted fields, with pseudonyms where the policy says', async () => {
    const bsn = syntheticBsn(50);
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: juvenileHaltAdvice('VIEW-1', bsn) });
    expect(res.statusCode).toBe(202);
    const id = res.json<{ id: string }>().id;
    const recipients = await bridge.services.pool.query<{ recipient: string }>('SELECT recipient FROM outbox WHERE record_id = $1 ORDER BY recipient', [id]);
    expect(recipients.rows.map((r) => r.recipient)).toEqual(['halt', 'om-zsm', 'rvdk', 'slachtofferhulp']);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);

    const halt = await messageFor(bridge, 'halt', id);
    const haltView = (JSON.parse(halt.value) as { record: Record<string, unknown> & { subject: Record<string, unknown> } }).record;
    expect(Object.keys(haltView).sort()).toEqual([
      'adviceDate',
      'adviceId',
      'contactPoint',
      'goal',
      'issuer',
      'legalBasis',
      'purpose',
      'recommendation',
      'subject',
      'validUntil',
      'version',
      'zsmCaseReference',
    ]);
    expect(Object.keys(haltView.subject).sort()).toEqual(['bsn', 'dateOfBirth', 'municipalityCode', 'name']);
    expect(haltView.subject['bsn']).toBe(halt.key); // Halt's pseudonym of the person, also its message key
    expect(haltView['recommendation']).toEqual({ disposal: 'halt', conditions: [{ code: 'schadevergoeding' }] }); // no detail
    expect(halt.value).not.toContain(bsn);

    const victims = await messageFor(bridge, 'slachtofferhulp', id);
    const victimView = (JSON.parse(victims.value) as { record: { subject: Record<string, unknown> } }).record;
    expect(victimView.subject).toEqual({ bsn: victims.key });
    expect(victims.key).not.toBe(halt.key); // two recipients cannot join their pseudonyms
    expect(victims.value).not.toContain('Synthetisch');

    const rvdk = await messageFor(bridge, 'rvdk', id);
    const rvdkView = (JSON.parse(rvdk.value) as { record: Record<string, unknown> & { subject: Record<string, unknown>; context: Record<string, unknown> } })
      .record;
    expect(rvdkView.subject['bsn']).toBe(bsn);
    expect(Object.keys(rvdkView.context)).toEqual(['system']);
  });

  it('sends a changed view after one grant is edited in the policy file, with no code change', async () => {
    const bsn = syntheticBsn(51);
    const res = await edited.inject({ method: 'POST', url: '/v1/advices', payload: juvenileHaltAdvice('VIEW-2', bsn) });
    expect(res.statusCode).toBe(202);
    expect(await waitForDelivery(edited.services.pool)).toBe(0);
    const halt = await messageFor(edited, 'halt', res.json<{ id: string }>().id);
    const view = (JSON.parse(halt.value) as { record: { subject: Record<string, unknown> } }).record;
    expect(view.subject).toEqual({ bsn, dateOfBirth: expect.any(String), municipalityCode: 'GM0599' });
    // The other recipients are as before.
    const om = await messageFor(edited, 'om-zsm', res.json<{ id: string }>().id);
    expect((JSON.parse(om.value) as { record: { subject: { name: unknown } } }).record.subject.name).toEqual({
      givenNames: 'Testpersoon',
      surname: 'Synthetisch',
    });
  });
});

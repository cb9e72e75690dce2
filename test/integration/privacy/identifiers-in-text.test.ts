// Issue 18, item 1, against the real broker: an advice routed to Halt (granted the BSN only as a pseudonym) whose
// goal holds the subject's BSN in several spellings and another person's BSN. With identifiersInText: redact it is
// accepted; Halt's topic carries no BSN in any spelling, the OM's carries the goal as sent (with the other person's
// BSN replaced), and the receipt and the processing log say what was redacted for whom. With the shipped policy
// (refuse) the same advice is a 422 naming /goal, and nothing is stored or sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTION_MARKER } from '../../../src/privacy/identifiers-in-text.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { digitsJoined } from '../../support/bsn-spellings.ts';
import { waitForDelivery } from '../../support/db.ts';
import { daysFromToday, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { writePolicyVariant } from '../../support/policy.ts';

let redacting: TestBridge;
let refusing: TestBridge;
beforeAll(async () => {
  const policyFile = writePolicyVariant((p) => {
    p.kinds['advice']!.identifiersInText = 'redact';
  });
  [redacting, refusing] = await Promise.all([startBridge({ env: { EXCHANGE_POLICY_FILE: policyFile } }), startBridge()]);
});
afterAll(async () => {
  await Promise.all([redacting?.close(), refusing?.close()]);
});

const BSN = syntheticBsn(61);
const OTHER = syntheticBsn(62);
const fullwidth = (s: string) => [...s].map((c) => String.fromCodePoint(0xff10 + Number(c))).join('');

function haltAdvice(adviceId: string) {
  const a = validAdvice({ adviceId, bsn: BSN }) as Record<string, unknown> & { subject: Record<string, unknown> };
  a.subject['dateOfBirth'] = daysFromToday(-15 * 366);
  a['recommendation'] = { disposal: 'halt', conditions: [{ code: 'schadevergoeding' }] };
  a['domesticViolence'] = { flag: false };
  a['goal'] =
    `Herstel van de schade en een leerproject bij Halt. BSN ${BSN.slice(0, 3)}.${BSN.slice(3, 6)}.${BSN.slice(6)}, ` +
    `in GCOS als bsn:${fullwidth(BSN)}; de aangever heeft burgerservicenummer ${OTHER}.`;
  return a;
}

describe('identifiers in free text, through the broker', () => {
  it('redact: Halt reads no BSN, the OM reads its own, the receipt and the processing log say so', async () => {
    const res = await redacting.inject({ method: 'POST', url: '/v1/advices', payload: haltAdvice('FREETEXT-REDACT-1') });
    expect(res.statusCode, res.body).toBe(202);
    const receipt = res.json<{ id: string; redacted: { pointer: string; code: string; recipients: string[] }[] }>();
    expect(receipt.redacted).toEqual([{ pointer: '/goal', code: 'BSN_IN_TEXT', recipients: ['halt', 'om-zsm', 'rvdk'] }]);
    expect(await waitForDelivery(redacting.services.pool)).toBe(0);

    const mine = async (recipient: string) => {
      const messages = await readTopic(redacting.topic('advice', recipient), { count: 1, settleMs: 500 });
      const found = messages.filter((m) => (JSON.parse(m.value) as { recordId: string }).recordId === receipt.id);
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const halt = await mine('halt');
    for (const b of [BSN, OTHER]) expect(digitsJoined(halt.value)).not.toContain(b);
    expect((JSON.parse(halt.value) as { record: { goal: string } }).record.goal).toContain(REDACTION_MARKER);

    const om = await mine('om-zsm');
    const omGoal = (JSON.parse(om.value) as { record: { goal: string } }).record.goal;
    expect(omGoal).toContain(`${BSN.slice(0, 3)}.${BSN.slice(3, 6)}.${BSN.slice(6)}`); // granted the subject's BSN
    expect(omGoal).not.toContain(OTHER); // another person's BSN is granted to nobody

    const log = await redacting.services.pool.query<{ operation: string; recipient: string | null; detail: unknown }>(
      'SELECT operation, recipient, detail FROM processing_log WHERE record_id = $1 ORDER BY operation, recipient',
      [receipt.id],
    );
    const toHalt = log.rows.find((r) => r.operation === 'disclosed' && r.recipient === 'halt')!;
    expect(toHalt.detail).toMatchObject({ redacted: [{ code: 'BSN_IN_TEXT', pointer: '/goal' }] });
    expect(digitsJoined(JSON.stringify(log.rows))).not.toContain(BSN);
  });

  it('refuse (the shipped policy): 422 naming /goal, in Dutch on request, nothing stored, the refusal logged with codes only', async () => {
    const res = await refusing.inject({
      method: 'POST',
      url: '/v1/advices',
      payload: haltAdvice('FREETEXT-REFUSE-1'),
      headers: { 'accept-language': 'nl' },
    });
    expect(res.statusCode).toBe(422);
    const problem = res.json<{ code: string; errors: { code: string; pointer: string; detail: string }[] }>();
    expect(problem.code).toBe('BRIDGE_POLICY_REFUSED');
    expect(problem.errors.map((e) => `${e.code} ${e.pointer}`)).toEqual(['BSN_IN_TEXT /goal']);
    expect(problem.errors[0]!.detail).toMatch(/elfproef/);
    expect(digitsJoined(res.body)).not.toContain(BSN);
    const stored = await refusing.services.pool.query("SELECT 1 FROM records WHERE external_id = 'FREETEXT-REFUSE-1'");
    expect(stored.rowCount).toBe(0);
    const refusal = await refusing.services.pool.query<{ detail: unknown }>(
      "SELECT detail FROM processing_log WHERE operation = 'refused' AND detail::text LIKE '%BSN_IN_TEXT%' ORDER BY id DESC LIMIT 1",
    );
    expect(refusal.rows[0]!.detail).toMatchObject({ code: 'BRIDGE_POLICY_REFUSED', errors: [{ code: 'BSN_IN_TEXT', pointer: '/goal' }] });
  });

  it('a batch judges each advice alike: refused on its own in refuse mode, redacted with its receipt in redact mode', async () => {
    type Item = { index: number; status: number; receipt?: { redacted?: unknown[] }; problem?: { errors?: { code: string; pointer: string }[] } };
    const clean = validAdvice({ adviceId: 'FREETEXT-BATCH-CLEAN', bsn: syntheticBsn(63) });
    const refused = await refusing.inject({ method: 'POST', url: '/v1/advice-batches', payload: { advices: [haltAdvice('FREETEXT-BATCH-1'), clean] } });
    const refusedItems = refused.json<{ items: Item[] }>().items;
    expect(refusedItems.map((i) => i.status)).toEqual([422, 202]);
    expect(refusedItems[0]!.problem!.errors).toEqual([expect.objectContaining({ code: 'BSN_IN_TEXT', pointer: '/advices/0/goal' })]); // a batch's pointers name the item

    const redacted = await redacting.inject({ method: 'POST', url: '/v1/advice-batches', payload: { advices: [haltAdvice('FREETEXT-BATCH-2')] } });
    const [item] = redacted.json<{ items: Item[] }>().items;
    expect(item!.status).toBe(202);
    expect(item!.receipt!.redacted).toEqual([{ pointer: '/goal', code: 'BSN_IN_TEXT', recipients: ['halt', 'om-zsm', 'rvdk'] }]);
  });
});

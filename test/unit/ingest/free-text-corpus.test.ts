// False positives of the free-text check are a real cost to a Veiligheidshuis (a refused advice at 3 a.m.): the
// realistic corpus (test/fixtures/free-text-corpus.ts) goes through the verdict, each text in its own field of an
// advice that reaches the OM, probation and victim support, and of one routed to Halt (which is not granted the
// BSN). The figure is printed; the target is that none is refused.
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/errors.ts';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import { KINDS, kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { validateRecord } from '../../../src/ingest/verdict.ts';
import { isValidBsn } from '../../../src/privacy/bsn.ts';
import { bsnsIn } from '../../../src/privacy/identifiers-in-text.ts';
import { createPseudonymiser } from '../../../src/privacy/pseudonym.ts';
import type { Advice } from '../../../src/records/advice.ts';
import { FREE_TEXT_CORPUS, type CorpusField } from '../../fixtures/free-text-corpus.ts';
import { validAdvice } from '../../support/fixtures.ts';
import { defaultPolicy } from '../../support/policy.ts';

const plan = createPolicyPlan(defaultPolicy(), kindSchemas(), 'unit.', createPseudonymiser('unit-test-pseudonym-secret-0123456789', 'k1'));

function adviceWith(field: CorpusField, text: string, halt: boolean): Advice {
  const a = validAdvice() as unknown as Advice;
  if (halt) a.recommendation = { disposal: 'halt', conditions: [{ code: 'schadevergoeding' }] };
  switch (field) {
    case 'goal':
      a.goal = text;
      break;
    case 'system':
    case 'environment':
      a.context[field] = text;
      break;
    case 'explanation':
      a.recommendation.explanation = text;
      break;
    case 'detail':
      a.recommendation.conditions[0]!.detail = text;
      break;
    case 'summary':
      a.domesticViolence.incidents![1]!.summary = text;
      break;
  }
  return a;
}

const IDENTIFIER_CODES = ['BSN_IN_TEXT', 'SUBJECT_NAME_IN_TEXT', 'SUBJECT_BIRTH_DATE_IN_TEXT', 'PERSONAL_DATA_IN_IDENTIFIER'];

describe('the realistic free-text corpus', () => {
  it('has at least 40 texts, none with a number that could be a BSN', () => {
    expect(FREE_TEXT_CORPUS.length).toBeGreaterThanOrEqual(40);
    for (const { text } of FREE_TEXT_CORPUS) {
      for (const m of text.matchAll(/\d{8,9}/g)) expect(isValidBsn(m[0]), m[0]).toBe(false);
    }
  });

  it('is refused by the free-text check in none of its texts, and the number flagged is printed', () => {
    let flagged = 0;
    let refused = 0;
    for (const { field, text } of FREE_TEXT_CORPUS) {
      if (bsnsIn(text).length > 0) flagged++;
      for (const halt of [false, true]) {
        try {
          validateRecord(KINDS.advice, adviceWith(field, text, halt), new Date(), { plan });
        } catch (err) {
          if (!(err instanceof BridgeError)) throw err;
          const ours = (err.errors ?? []).filter((e) => IDENTIFIER_CODES.includes(e.code));
          // Other refusals (quality) are not this check's; the corpus is written to pass them as well.
          expect(err.errors, text).toEqual(ours);
          if (ours.length > 0) refused++;
        }
      }
    }
    process.stdout.write(`free-text corpus: ${FREE_TEXT_CORPUS.length} texts, ${flagged} flagged as holding a BSN, ${refused} refusals\n`);
    expect(refused).toBe(0);
    expect(flagged).toBe(0);
  });

  it('measures the true limit: a bare 9-digit number of another kind passes the eleven-test about 1 time in 11', () => {
    // A deterministic sample of 9-digit "customer numbers" in a sentence, made and dropped here, never stored.
    let seed = 20260318;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const n = 5000;
    let flagged = 0;
    for (let i = 0; i < n; i++) {
      const number = String(100_000_000 + (next() % 900_000_000));
      if (bsnsIn(`klantnummer ${number} bij de energieleverancier`).length > 0) flagged++;
    }
    const rate = flagged / n;
    process.stdout.write(`bare 9-digit numbers: ${flagged} of ${n} flagged (${(rate * 100).toFixed(1)}%)\n`);
    expect(rate).toBeGreaterThan(0.07);
    expect(rate).toBeLessThan(0.11);
  });
});

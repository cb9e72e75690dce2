// The verdict on identifiers in free text, case by case: refuse or redact per the policy, who counts as granted,
// identifier fields refused either way, Dutch and English texts that never echo the value, the offline validator.
import { describe, expect, it } from 'vitest';
import { BridgeError, type FieldError } from '../../../src/errors.ts';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import type { ExchangePolicy, IdentifiersInText } from '../../../src/exchange/policy.ts';
import { KINDS, kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { prepareRecord, type IngestDeps } from '../../../src/ingest/prepare.ts';
import { validateRecord } from '../../../src/ingest/verdict.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { REDACTION_MARKER } from '../../../src/privacy/identifiers-in-text.ts';
import { createPseudonymiser } from '../../../src/privacy/pseudonym.ts';
import type { Advice } from '../../../src/records/advice.ts';
import { syntheticBsn, validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { defaultPolicy } from '../../support/policy.ts';

const pseudonymiser = createPseudonymiser('unit-test-pseudonym-secret-0123456789', 'k1');
function deps(mode: IdentifiersInText, edit?: (p: ExchangePolicy) => void): IngestDeps {
  const policy = structuredClone(defaultPolicy());
  for (const k of Object.values(policy.kinds)) k.identifiersInText = mode;
  edit?.(policy);
  return {
    pool: undefined as never,
    metrics: createMetrics(),
    bridgeOin: '00000009999999999000',
    pseudonymiser,
    plan: createPolicyPlan(policy, kindSchemas(), 'unit.', pseudonymiser),
  };
}
// Halt granted only the pseudonym: not the name, not the date of birth.
const haltWithoutIdentity = (p: ExchangePolicy) => {
  const halt = p.kinds['advice']!.recipients['halt']!;
  delete halt.fields['subject.name'];
  delete halt.fields['subject.dateOfBirth'];
};

const BSN = syntheticBsn(5);
function haltAdvice(goal: string): Advice {
  const a = validAdvice({ bsn: BSN }) as unknown as Advice;
  a.recommendation = { disposal: 'halt', conditions: [] };
  a.subject.name = { givenNames: 'Testpersoon', surnamePrefix: 'de', surname: 'Synthetisch' };
  a.subject.dateOfBirth = '2009-07-03';
  a.goal = goal;
  return a;
}
const GOAL = 'Betrokkene maakt de schade goed en volgt een leerproject bij Halt, met de ouders betrokken.';

function refusal(d: IngestDeps, body: unknown, language?: 'nl' | 'en'): FieldError[] {
  try {
    prepareRecord(d, KINDS.advice, { door: 'rest', body, language });
  } catch (err) {
    if (err instanceof BridgeError) {
      expect(err.code).toBe('BRIDGE_POLICY_REFUSED');
      return err.errors ?? [];
    }
    throw err;
  }
  throw new Error('accepted');
}
const views = (p: ReturnType<typeof prepareRecord>) => new Map(p.outbox.map((r) => [r.recipient, (JSON.parse(r.payload) as { record: Advice }).record]));

describe('identifiers in free text: refuse (the default)', () => {
  it('refuses the subject BSN in a goal Halt would read, with the pointer, in Dutch or English, never echoing it', () => {
    const errors = refusal(deps('refuse'), haltAdvice(`${GOAL} BSN ${BSN.slice(0, 3)} ${BSN.slice(3, 6)} ${BSN.slice(6)}`), 'nl');
    expect(errors.map((e) => `${e.code} ${e.pointer} ${e.rule}`)).toEqual(['BSN_IN_TEXT /goal kinds.advice.identifiersInText']);
    expect(errors[0]!.detail).toMatch(/elfproef/);
    expect(JSON.stringify(errors)).not.toMatch(/\d{3}/);
    const en = refusal(deps('refuse'), haltAdvice(`${GOAL} bsn:${BSN}`), 'en');
    expect(en[0]!.detail).toMatch(/eleven-test/);
  });

  it('accepts the subject BSN in text that only recipients granted the BSN read', () => {
    const a = validAdvice({ bsn: BSN }) as unknown as Advice; // OM, probation, victim support (which gets no goal)
    a.goal = `${GOAL} BSN ${BSN}.`;
    const p = prepareRecord(deps('refuse'), KINDS.advice, { door: 'rest', body: a });
    expect(views(p).get('om-zsm')!.goal).toBe(a.goal);
    expect(p.receipt.redacted).toBeUndefined();
  });

  it("refuses another person's BSN in any text, even one only the OM reads", () => {
    const a = validAdvice({ bsn: BSN }) as unknown as Advice;
    a.context.environment = `Partner (BSN ${syntheticBsn(6)}) woont op hetzelfde adres.`;
    expect(refusal(deps('refuse'), a).map((e) => `${e.code} ${e.pointer}`)).toEqual(['BSN_IN_TEXT /context/environment']);
  });

  it('refuses the name and the date of birth where a recipient not granted them reads the text', () => {
    const errors = refusal(deps('refuse', haltWithoutIdentity), haltAdvice(`${GOAL} Gesprek met De Synthetisch, T. gepland; geboren 3 juli 2009.`));
    expect(errors.map((e) => `${e.code} ${e.pointer}`).sort()).toEqual(['SUBJECT_BIRTH_DATE_IN_TEXT /goal', 'SUBJECT_NAME_IN_TEXT /goal']);
    // With the default grants Halt has both: the same text passes.
    expect(() =>
      prepareRecord(deps('refuse'), KINDS.advice, { door: 'rest', body: haltAdvice(`${GOAL} Gesprek met de Synthetisch op 03-07-2009.`) }),
    ).not.toThrow();
  });

  it('refuses a BSN, the name or the birth date in an identifier field whatever the setting and whoever reads it', () => {
    for (const mode of ['refuse', 'redact'] as const) {
      const a = validAdvice({ bsn: BSN, adviceId: `VH-${BSN}` }) as unknown as Advice & { contactPoint: { name: string }; gcosCaseReference: string };
      a.subject.name = { surname: 'Synthetisch' };
      a.contactPoint.name = 'Team Synthetisch';
      a.gcosCaseReference = 'GCOS-1990-01-01';
      expect(
        refusal(deps(mode), a)
          .map((e) => `${e.code} ${e.pointer}`)
          .sort(),
      ).toEqual(['PERSONAL_DATA_IN_IDENTIFIER /adviceId', 'PERSONAL_DATA_IN_IDENTIFIER /contactPoint/name', 'PERSONAL_DATA_IN_IDENTIFIER /gcosCaseReference']);
    }
  });

  it('gives the offline validator the same verdict', () => {
    const plan = deps('refuse').plan;
    expect(() => validateRecord(KINDS.advice, haltAdvice(`${GOAL} ${BSN}`), new Date(), { plan })).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ code: 'BSN_IN_TEXT', pointer: '/goal' })] }),
    );
  });
});

describe('identifiers in free text: redact', () => {
  it("replaces the BSN in Halt's view only, and the receipt and the processing log say where and for whom", () => {
    const goal = `${GOAL} Dossier ZVH-${BSN}.`;
    const p = prepareRecord(deps('redact'), KINDS.advice, { door: 'rest', body: haltAdvice(goal) });
    const v = views(p);
    expect(v.get('om-zsm')!.goal).toBe(goal);
    expect(v.get('halt')!.goal).toBe(`${GOAL} Dossier ZVH-${REDACTION_MARKER}.`);
    expect(p.receipt.redacted).toEqual([{ pointer: '/goal', code: 'BSN_IN_TEXT', recipients: ['halt'] }]);
    const received = p.log.entries.find((e) => e.operation === 'received')!;
    expect(received.detail).toMatchObject({ redacted: [{ pointer: '/goal', code: 'BSN_IN_TEXT', recipients: ['halt'] }] });
    const toHalt = p.log.entries.find((e) => e.operation === 'disclosed' && e.recipient === 'halt')!;
    expect(toHalt.detail).toMatchObject({ redacted: [{ code: 'BSN_IN_TEXT', pointer: '/goal' }] });
    expect(JSON.stringify(p.log.entries)).not.toContain(BSN);
  });

  it('replaces the name and the birth date for a recipient not granted them', () => {
    const p = prepareRecord(deps('redact', haltWithoutIdentity), KINDS.advice, {
      door: 'rest',
      body: haltAdvice(`${GOAL} Gesprek met Synthetisch, de op 3-7-2009.`),
    });
    expect(views(p).get('halt')!.goal).toBe(`${GOAL} Gesprek met ${REDACTION_MARKER} op ${REDACTION_MARKER}.`);
    expect(p.receipt.redacted?.map((r) => r.code).sort()).toEqual(['SUBJECT_BIRTH_DATE_IN_TEXT', 'SUBJECT_NAME_IN_TEXT']);
  });

  it("redacts another person's BSN for every recipient of a case event, the region included", () => {
    const e = validCaseEvent('advice-requested', { bsn: BSN }) as { adviceRequest: { question: string } };
    e.adviceRequest.question = `Is de aangever (bsn ${syntheticBsn(8)}) bekend?`;
    const p = prepareRecord(deps('redact'), KINDS['case-event'], { door: 'rest', body: e });
    expect(p.outbox.length).toBeGreaterThan(0);
    for (const row of p.outbox) expect(row.payload).not.toContain(syntheticBsn(8));
    expect(p.receipt.redacted).toEqual([{ pointer: '/adviceRequest/question', code: 'BSN_IN_TEXT', recipients: p.outbox.map((r) => r.recipient).sort() }]);
  });
});

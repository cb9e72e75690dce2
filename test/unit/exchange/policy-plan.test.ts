import { describe, expect, it } from 'vitest';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import { kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { createPseudonymiser } from '../../../src/privacy/pseudonym.ts';
import { daysFromToday, EXAMPLE_ADVICE, syntheticBsn } from '../../support/fixtures.ts';
import { defaultPolicy } from '../../support/policy.ts';

const pseudonymiser = createPseudonymiser('unit-test-pseudonym-key-0123456789abcdef', 'k1');
const plan = createPolicyPlan(defaultPolicy(), kindSchemas(), 'p.', pseudonymiser);
const terms = (legalBasis: string, purpose: string) => ({
  legalBasis: { value: legalBasis, pointer: '/legalBasis' },
  purpose: { value: purpose, pointer: '/purpose' },
});
const advice = (
  edit: (a: Record<string, unknown> & { subject: Record<string, unknown>; recommendation: Record<string, unknown> }) => void = () => undefined,
) => {
  const a = structuredClone(EXAMPLE_ADVICE) as Record<string, unknown> & { subject: Record<string, unknown>; recommendation: Record<string, unknown> };
  edit(a);
  return a;
};

describe('admission by the default policy', () => {
  it('admits the example advice', () => {
    expect(plan.admit({ kind: 'advice', record: advice(), ...terms('nl.wgs.art-2.3', 'zsm-afdoeningsadvies') })).toEqual([]);
  });

  it('refuses an unknown legal basis, a purpose the basis does not cover, and special-category data, naming each rule', () => {
    expect(plan.admit({ kind: 'advice', record: advice(), ...terms('nl.onbekend', 'zsm-afdoeningsadvies') })).toEqual([
      expect.objectContaining({ code: 'LEGAL_BASIS_NOT_ACCEPTED', pointer: '/legalBasis', rule: 'kinds.advice.accepts' }),
    ]);
    expect(plan.admit({ kind: 'advice', record: advice(), ...terms('nl.wgs.art-2.3', 'marketing') })).toEqual([
      expect.objectContaining({ code: 'PURPOSE_NOT_ACCEPTED', pointer: '/purpose' }),
    ]);
    const withHealth = advice((a) => ((a['context'] as Record<string, unknown>)['health'] = 'In behandeling bij de GGZ.'));
    expect(plan.admit({ kind: 'advice', record: withHealth, ...terms('nl.wgs.art-2.3', 'zsm-afdoeningsadvies') })).toEqual([
      expect.objectContaining({ code: 'SPECIAL_CATEGORY_NOT_ALLOWED', pointer: '/context/health', rule: 'kinds.advice.specialCategories' }),
    ]);
    expect(plan.admit({ kind: 'unknown-kind', record: {}, ...terms('x.y.z', 'x.y.z') })).toEqual([expect.objectContaining({ code: 'KIND_NOT_IN_POLICY' })]);
  });
});

describe('deliveries under the default policy', () => {
  const recipients = (a: unknown) =>
    plan
      .disclosuresFor({ kind: 'advice', record: a, subjectBsn: syntheticBsn(0) })
      .map((d) => d.recipient)
      .sort();

  it('sends each advice to the OM, and to the partners only when their condition holds', () => {
    expect(recipients(advice())).toEqual(['om-zsm', 'reclassering', 'slachtofferhulp']);
    expect(recipients(advice((a) => (a.recommendation = { disposal: 'sepot', conditions: [] })))).toEqual(['om-zsm']);
    const juvenileHalt = advice((a) => {
      a.subject['dateOfBirth'] = daysFromToday(-15 * 366);
      a['adviceDate'] = daysFromToday(-1);
      a.recommendation = { disposal: 'halt', conditions: [] };
    });
    expect(recipients(juvenileHalt)).toEqual(['halt', 'om-zsm', 'rvdk']);
  });

  it('keys each recipient by its own pseudonym, and names the fields it disclosed', () => {
    const a = advice();
    const ds = plan.disclosuresFor({ kind: 'advice', record: a, subjectBsn: a.subject['bsn'] as string });
    const keys = new Set(ds.map((d) => d.messageKey));
    expect(keys.size).toBe(ds.length);
    const victims = ds.find((d) => d.recipient === 'slachtofferhulp')!;
    expect((victims.view as { subject: { bsn: string } }).subject.bsn).toBe(victims.messageKey);
    expect(victims.fields).toContain('recommendation.conditions[].code');
    expect(victims.fields).not.toContain('subject.name');
    expect(plan.topics()).toContain('p.bridge.advice.halt.v1');
  });
});

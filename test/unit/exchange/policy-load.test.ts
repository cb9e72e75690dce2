import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_FILE, loadExchangePolicy, PolicyError } from '../../../src/exchange/policy-load.ts';
import { kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { writePolicyText, writePolicyVariant } from '../../support/policy.ts';

function problemsOf(file: string): string[] {
  try {
    loadExchangePolicy(file, kindSchemas());
  } catch (err) {
    if (err instanceof PolicyError) return err.problems;
    throw err;
  }
  throw new Error('expected a PolicyError');
}

describe('loading the exchange policy', () => {
  it('loads the shipped policy with every recipient the justice chain needs', () => {
    const policy = loadExchangePolicy(DEFAULT_POLICY_FILE, kindSchemas());
    expect(Object.keys(policy.recipients)).toEqual(expect.arrayContaining(['om-zsm', 'reclassering', 'rvdk', 'slachtofferhulp', 'halt', 'veiligheidshuizen']));
    expect(policy.kinds['advice']?.accepts[0]?.legalBasis).toBe('nl.wgs.art-2.3');
    // Every grant says why, for the privacy officer who reviews it.
    for (const grant of Object.values(policy.kinds['advice']!.recipients)) expect(grant.why.length).toBeGreaterThan(50);
  });

  it('names the place and line of a misspelt field, an undeclared recipient and a transform that does not fit', () => {
    const file = writePolicyVariant((p) => {
      const halt = p.kinds['advice']!.recipients['halt']!;
      halt.fields['subject.bsm'] = 'keep';
      halt.fields['goal'] = 'year';
      p.kinds['advice']!.recipients['politie'] = { why: 'not declared as a recipient', fields: { adviceId: 'keep' } };
    });
    const problems = problemsOf(file);
    const text = problems.join('\n');
    expect(text).toMatch(/kinds\.advice\.recipients\.halt\.fields\["subject\.bsm"\] \(line \d+\): "subject\.bsm" is no field of advice\.v1\.json/);
    expect(text).toMatch(/kinds\.advice\.recipients\.halt\.fields\.goal \(line \d+\): year only fits a date field/);
    expect(text).toMatch(/kinds\.advice\.recipients\.politie \(line \d+\): recipient "politie" is not declared/);
    expect(problems).toHaveLength(3);
  });

  it('refuses an unknown transform, a missing why and an unknown setting, each at its place', () => {
    const file = writePolicyVariant((p) => {
      const om = p.kinds['advice']!.recipients['om-zsm'] as unknown as Record<string, unknown>;
      (om['fields'] as Record<string, string>)['goal'] = 'encrypt';
      delete (p.kinds['advice']!.recipients['halt'] as unknown as Record<string, unknown>)['why'];
      (p as unknown as Record<string, unknown>)['owner'] = 'someone';
    });
    const text = problemsOf(file).join('\n');
    expect(text).toMatch(/kinds\.advice\.recipients\.om-zsm\.fields\.goal \(line \d+\): must be one of: keep, pseudonym, year, drop/);
    expect(text).toMatch(/kinds\.advice\.recipients\.halt \(line \d+\): needs "why"/);
    expect(text).toMatch(/owner \(line \d+\): is not a known setting/);
  });

  it('refuses a grant of special-category data that no rule admits, and a rule for a field that is not special', () => {
    const file = writePolicyVariant((p) => {
      p.kinds['advice']!.recipients['om-zsm']!.fields['context.health'] = 'keep';
      p.kinds['advice']!.specialCategories = [{ field: 'goal', ground: 'AVG art. 9(2)(g)', when: { field: 'purpose', in: ['zsm-afdoeningsadvies'] } }];
    });
    const text = problemsOf(file).join('\n');
    expect(text).toContain('grants special-category data that no rule under specialCategories admits');
    expect(text).toMatch(/kinds\.advice\.specialCategories\[0\]\.field \(line \d+\): "goal" is not marked as special-category data/);
  });

  it('names the line of a YAML syntax error, and a file it cannot read', () => {
    const broken = readFileSync(DEFAULT_POLICY_FILE, 'utf8').replace('  halt:\n    name: Halt', '  halt:\n    name: Halt: a: b');
    expect(problemsOf(writePolicyText(broken)).join()).toMatch(/^line \d+: /);
    expect(problemsOf('/nonexistent/policy.yaml').join()).toContain('cannot be read');
  });

  it('refuses a kind the bridge does not know', () => {
    const file = writePolicyVariant((p) => {
      p.kinds['verhoor'] = structuredClone(p.kinds['advice']!);
    });
    expect(problemsOf(file).join('\n')).toMatch(/kinds\.verhoor \(line \d+\): is not a record kind the bridge knows/);
  });

  it('refuses a condition it cannot read, and a condition on a field that does not exist', () => {
    const unreadable = writePolicyVariant((p) => {
      (p.kinds['advice']!.recipients['halt'] as unknown as Record<string, unknown>)['when'] = { field: 'recommendation.disposal', is: 'halt' };
    });
    expect(problemsOf(unreadable).join('\n')).toMatch(/kinds\.advice\.recipients\.halt\.when \(line \d+\): is not a condition/);
    const missing = writePolicyVariant((p) => {
      p.kinds['advice']!.recipients['rvdk']!.when = { field: 'subject.birthDate', youngerThan: 18, on: 'goal' };
    });
    const text = problemsOf(missing).join('\n');
    expect(text).toMatch(/kinds\.advice\.recipients\.rvdk\.when\.field \(line \d+\): "subject\.birthDate" is no field/);
    expect(text).toMatch(/kinds\.advice\.recipients\.rvdk\.when\.on \(line \d+\): youngerThan needs a date field to count on/);
  });
});

// Property: whatever the record and whatever the grants, no recipient's message holds a field outside its
// allow-list, a pseudonymised field never carries the value it replaces, and a year-only field holds a year.
// The oracle below reads the grants on its own terms (longest granted prefix wins); it shares no code with the
// view builder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import type { ExchangePolicy, Transform } from '../../../src/exchange/policy.ts';
import { kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { readSchema } from '../../../src/ingest/schemas.ts';
import { createPseudonymiser } from '../../../src/privacy/pseudonym.ts';
import { defaultPolicy } from '../../support/policy.ts';

const pseudonymiser = createPseudonymiser('property-test-pseudonym-key-0123456789', 'k1');
const KINDS = kindSchemas();
const DEFAULT = defaultPolicy();
type Schema = Record<string, unknown>;

// Every path of the advice schema, with its schema, for generating grants.
const PATHS: { path: string; schema: Schema }[] = [];
(function walk(s: Schema, at: string) {
  if (at) PATHS.push({ path: at, schema: s });
  for (const [k, child] of Object.entries((s['properties'] as Record<string, Schema> | undefined) ?? {})) walk(child, at ? `${at}.${k}` : k);
  if (s['type'] === 'array') walk(s['items'] as Schema, `${at}[]`);
})(readSchema('advice.v1.json'), '');

const transformsFor = (s: Schema): Transform[] => {
  if (s['type'] !== 'string') return ['keep', 'drop'];
  return s['format'] === 'date' ? ['keep', 'pseudonym', 'year', 'drop'] : ['keep', 'pseudonym', 'drop'];
};

const text = fc.string({ minLength: 1, maxLength: 12 });
const date = fc
  .tuple(fc.integer({ min: 1920, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const bsn = fc.stringMatching(/^9[0-9]{8}$/);
const one = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

const adviceArb = fc.record(
  {
    adviceId: text,
    version: fc.integer({ min: 1, max: 9 }),
    issuer: fc.record({ oin: fc.stringMatching(/^[0-9]{20}$/), name: text }),
    gcosCaseReference: text,
    author: fc.record({ role: one(['procesregisseur', 'casusregisseur']) }),
    contactPoint: fc.record({ name: text, email: text, phone: text }, { requiredKeys: ['name'] }),
    subject: fc.record(
      {
        bsn,
        dateOfBirth: date,
        municipalityCode: text,
        name: fc.record({ surname: text, givenNames: text, surnamePrefix: text }, { requiredKeys: ['surname'] }),
      },
      { requiredKeys: ['bsn', 'dateOfBirth', 'name'] },
    ),
    zsmCaseReference: text,
    adviceDate: date,
    validUntil: date,
    goal: text,
    context: fc.record({ system: text, environment: text, health: text }, { requiredKeys: ['system', 'environment'] }),
    recommendation: fc.record(
      {
        disposal: one(['sepot', 'halt', 'strafbeschikking-taakstraf', 'voorwaardelijk-sepot', 'voorgeleiding-rc']),
        conditions: fc.array(
          fc.record(
            { code: one(['contactverbod', 'meldplicht', 'reclasseringstoezicht', 'schadevergoeding', 'klinische-opname']), detail: text },
            { requiredKeys: ['code'] },
          ),
          { maxLength: 4 },
        ),
        explanation: text,
      },
      { requiredKeys: ['disposal', 'conditions'] },
    ),
    domesticViolence: fc.record(
      {
        flag: fc.boolean(),
        incidents: fc.array(
          fc.record(
            { date, kind: one(['kindermishandeling', 'stalking', 'fysiek-geweld']), subjectRole: one(['pleger', 'getuige']), summary: text },
            { requiredKeys: ['date', 'kind', 'subjectRole'] },
          ),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: ['flag'] },
    ),
    legalBasis: fc.constant('nl.wgs.art-2.3'),
    purpose: fc.constant('zsm-afdoeningsadvies'),
  },
  {
    requiredKeys: [
      'adviceId',
      'version',
      'issuer',
      'gcosCaseReference',
      'author',
      'contactPoint',
      'subject',
      'adviceDate',
      'validUntil',
      'goal',
      'context',
      'recommendation',
      'domesticViolence',
      'legalBasis',
      'purpose',
    ],
  },
);

/** A policy whose every recipient grants a random set of fields with random fitting transforms. */
const policyArb = fc
  .record({
    admitHealth: fc.boolean(),
    grants: fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: PATHS.length - 1 }), fc.nat()), { minLength: 1, maxLength: 12 }), {
      minLength: 6,
      maxLength: 6,
    }),
  })
  .map(({ admitHealth, grants }) => {
    const policy = structuredClone(DEFAULT);
    const advice = policy.kinds['advice']!;
    advice.specialCategories = admitHealth ? [{ field: 'context.health', ground: 'test', when: { field: 'purpose', in: ['zsm-afdoeningsadvies'] } }] : [];
    advice.recipients = {};
    Object.keys(policy.recipients).forEach((recipient, i) => {
      const fields: Record<string, Transform> = {};
      for (const [p, t] of grants[i]!) {
        const { path, schema } = PATHS[p]!;
        if (path === 'context.health' && !admitHealth) continue;
        const options = transformsFor(schema);
        fields[path] = options[t % options.length]!;
      }
      advice.recipients[recipient] = { why: 'generated for the property test', fields: Object.keys(fields).length ? fields : { adviceId: 'keep' } };
    });
    return policy;
  });

const segments = (path: string) => path.replace(/\[\]/g, '.[]').split('.');
const isPrefix = (p: string[], of: string[]) => p.length <= of.length && p.every((s, i) => s === of[i]);

function leaves(v: unknown, at: string[] = []): { path: string[]; value: unknown }[] {
  if (Array.isArray(v)) return v.flatMap((x) => leaves(x, [...at, '[]']));
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    return keys.length === 0 ? [{ path: at, value: v }] : keys.flatMap((k) => leaves((v as Record<string, unknown>)[k], [...at, k]));
  }
  return [{ path: at, value: v }];
}

/** Every field of the view that the grant does not allow, as a readable sentence. */
function violations(view: unknown, fields: Record<string, Transform>, bsnValue: string): string[] {
  const grants = Object.entries(fields).map(([p, t]) => ({ path: segments(p), raw: p, t }));
  const out: string[] = [];
  // An empty view (nothing granted is present) holds no field at all.
  for (const leaf of leaves(view).filter((l) => l.path.length > 0)) {
    const name = leaf.path.join('.');
    const governing = grants.filter((g) => isPrefix(g.path, leaf.path)).sort((a, b) => b.path.length - a.path.length)[0];
    if (!governing || governing.t === 'drop') out.push(`${name} is not granted`);
    else if (isPrefix(segments('context.health'), leaf.path) && !(fields['context.health'] && fields['context.health'] !== 'drop'))
      out.push(`${name} is special-category data not granted by name`);
    else if (
      governing.t === 'pseudonym' &&
      !(governing.path.length === leaf.path.length && typeof leaf.value === 'string' && /^k1\.[A-Za-z0-9_-]{22}$/.test(leaf.value))
    )
      out.push(`${name} is not a pseudonym`);
    else if (governing.t === 'year' && !(governing.path.length === leaf.path.length && Number.isInteger(leaf.value))) out.push(`${name} is not a year`);
  }
  const bsnKept = grants.some((g) => g.t === 'keep' && isPrefix(g.path, ['subject', 'bsn']));
  if (!bsnKept && JSON.stringify(view).includes(bsnValue)) out.push('the BSN appears although no grant keeps it');
  return out;
}

function check(policy: ExchangePolicy, advice: typeof adviceArb extends fc.Arbitrary<infer T> ? T : never): void {
  const plan = createPolicyPlan(policy, KINDS, '', pseudonymiser);
  for (const d of plan.disclosuresFor({ kind: 'advice', record: advice, subjectBsn: advice.subject.bsn })) {
    const fields = policy.kinds['advice']!.recipients[d.recipient]!.fields;
    expect(violations(d.view, fields, advice.subject.bsn), d.recipient).toEqual([]);
    expect(d.messageKey).not.toContain(advice.subject.bsn);
  }
}

describe('recipient views, for any record', () => {
  it('under the default policy hold only allowed fields', () => {
    fc.assert(
      fc.property(adviceArb, (a) => check(DEFAULT, a)),
      { numRuns: 300 },
    );
  }, 120_000);

  it('under any generated policy hold only the fields each grant allows, transformed as it says', () => {
    fc.assert(
      fc.property(policyArb, adviceArb, (policy, a) => check(policy, a)),
      { numRuns: 500 },
    );
  }, 120_000);

  it('the oracle itself finds a field outside the allow-list', () => {
    expect(violations({ adviceId: 'x', subject: { bsn: '999990019' } }, { adviceId: 'keep' }, '999990019')).toEqual([
      'subject.bsn is not granted',
      'the BSN appears although no grant keeps it',
    ]);
    expect(violations({ context: { health: 'x' } }, { context: 'keep' }, '1')).toEqual(['context.health is special-category data not granted by name']);
    expect(violations({ subject: { bsn: '999990019' } }, { 'subject.bsn': 'pseudonym' }, '999990019')[0]).toBe('subject.bsn is not a pseudonym');
  });
});

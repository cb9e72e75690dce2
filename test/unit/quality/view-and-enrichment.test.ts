// What a recipient sees of the findings, and the domestic-violence history merged with what the bridge holds
// (with a stub source: the real one comes with the ZSM case events).
import { describe, expect, it } from 'vitest';
import type { Advice } from '../../../src/records/advice.ts';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import { enrichPrepared } from '../../../src/ingest/enrich.ts';
import { prepareRecord, type IngestDeps } from '../../../src/ingest/prepare.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { createPseudonymiser, DOMAIN_INTERNAL } from '../../../src/privacy/pseudonym.ts';
import { assessAdvice } from '../../../src/quality/assess.ts';
import { NO_INCIDENTS, type IncidentSource } from '../../../src/feedback/incident-source.ts';
import { mergeIncidentHistory, type SourcedIncident } from '../../../src/quality/enrichment.ts';
import { reportForView } from '../../../src/quality/view.ts';
import { daysFromToday, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { todayInAmsterdam } from '../../../src/records/dates.ts';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import { kindSchemas } from '../../../src/ingest/kinds/index.ts';
import { defaultPolicy } from '../../support/policy.ts';

const zsm = (date: string, kind: string, reference: string, subjectRole = 'pleger'): SourcedIncident => ({
  date,
  kind,
  subjectRole,
  origin: { system: 'zsm', reference },
});

describe("findings in a recipient's view", () => {
  const advice = validAdvice() as unknown as Advice;
  advice.goal = 'Behandeling.';
  advice.domesticViolence.incidents = [];
  const report = assessAdvice(advice, todayInAmsterdam(), { DV_HISTORY_MISSING: 'warn' });

  it('shows everything when the view is the whole advice', () => {
    expect(reportForView(report, advice)).toEqual(report);
  });

  it('leaves out findings and criteria about fields the view does not hold', () => {
    const { domesticViolence: _dv, ...withoutDv } = advice;
    const seen = reportForView(report, withoutDv);
    expect(seen.findings.map((f) => f.code)).toEqual(['GOAL_TOO_BRIEF']);
    expect(Object.keys(seen.criteria)).not.toContain('domestic-violence');
    expect(seen.criteria.goal).toBe('warning');
    expect(reportForView(report, null)).toEqual({ criteria: {}, findings: [] });
  });
});

describe('incident history enrichment', () => {
  const own = {
    adviceId: 'VH-1',
    domesticViolence: {
      flag: true,
      incidents: [
        { date: '2026-08-02', kind: 'psychisch-geweld', subjectRole: 'pleger' },
        { date: '2026-11-18', kind: 'fysiek-geweld', subjectRole: 'pleger', summary: 'Melding politie.' },
      ],
    },
  };

  it('adds the found incidents, marks each with its source, merges the ones both know, oldest first', () => {
    const history = mergeIncidentHistory(own, [
      zsm('2026-11-18', 'fysiek-geweld', 'ev-2'),
      zsm('2025-03-01', 'bedreiging', 'ev-1'),
      zsm('2025-03-01', 'bedreiging', 'ev-1'),
    ]);
    expect(history).toEqual([
      { date: '2025-03-01', kind: 'bedreiging', subjectRole: 'pleger', sources: [{ system: 'zsm', reference: 'ev-1' }] },
      { date: '2026-08-02', kind: 'psychisch-geweld', subjectRole: 'pleger', sources: [{ system: 'gcos', reference: 'VH-1' }] },
      {
        date: '2026-11-18',
        kind: 'fysiek-geweld',
        subjectRole: 'pleger',
        summary: 'Melding politie.',
        sources: [
          { system: 'gcos', reference: 'VH-1' },
          { system: 'zsm', reference: 'ev-2' },
        ],
      },
    ]);
  });

  it("keeps incidents apart that differ in the person's role", () => {
    expect(mergeIncidentHistory(own, [zsm('2026-11-18', 'fysiek-geweld', 'ev-3', 'slachtoffer')])).toHaveLength(3);
  });

  const deps: IngestDeps = {
    pool: undefined as never,
    metrics: createMetrics(),
    bridgeOin: '00000009999999999000',
    pseudonymiser: createPseudonymiser('unit-test-pseudonym-secret-0123456789', 'k1'),
    plan: undefined as never,
  };
  deps.plan = createPolicyPlan(defaultPolicy(), kindSchemas(), 'unit.', deps.pseudonymiser);

  it('asks the source by the internal pseudonym and puts the merged history next to the record in the message', async () => {
    const asked: string[] = [];
    const source: IncidentSource = {
      incidentsFor: async (key) => {
        asked.push(key);
        return [zsm(daysFromToday(-400), 'stalking', 'ev-9')];
      },
    };
    const prepared = prepareRecord(deps, KINDS.advice, { door: 'rest', body: validAdvice({ bsn: syntheticBsn(7) }) });
    const enriched = await enrichPrepared(prepared, source);
    expect(asked).toEqual([deps.pseudonymiser.pseudonym(syntheticBsn(7), DOMAIN_INTERNAL)]);
    const envelope = JSON.parse(enriched.outbox[0]!.payload) as { record: Advice; incidentHistory: { kind: string; sources: { system: string }[] }[] };
    expect(envelope.record).toEqual(prepared.record); // the advice itself is untouched
    expect(envelope.incidentHistory.map((h) => `${h.kind} ${h.sources.map((s) => s.system).join('+')}`)).toEqual([
      'stalking zsm',
      'psychisch-geweld gcos',
      'fysiek-geweld gcos',
    ]);
  });

  it('leaves advices without the flag alone, and asks nothing', async () => {
    const body = validAdvice();
    (body as unknown as Advice).domesticViolence = { flag: false };
    const prepared = prepareRecord(deps, KINDS.advice, { door: 'rest', body });
    const source: IncidentSource = {
      incidentsFor: async () => {
        throw new Error('must not be asked');
      },
    };
    expect(await enrichPrepared(prepared, source)).toBe(prepared);
  });

  it("without a source the history is the advice's own", async () => {
    const enriched = await enrichPrepared(prepareRecord(deps, KINDS.advice, { door: 'rest', body: validAdvice() }), NO_INCIDENTS);
    const envelope = JSON.parse(enriched.outbox[0]!.payload) as { incidentHistory: unknown[] };
    expect(envelope.incidentHistory).toHaveLength(2);
  });

  it('gives no history to a recipient whose view leaves the incidents out', async () => {
    const plan = {
      ...deps.plan,
      disclosuresFor: (i: Parameters<typeof deps.plan.disclosuresFor>[0]) =>
        deps.plan.disclosuresFor(i).map((d) => ({ ...d, view: { adviceId: (d.view as Advice).adviceId } })),
    };
    const prepared = prepareRecord({ ...deps, plan }, KINDS.advice, { door: 'rest', body: validAdvice() });
    const enriched = await enrichPrepared(prepared, { incidentsFor: async () => [zsm('2026-01-01', 'stalking', 'ev-1')] });
    const envelope = JSON.parse(enriched.outbox[0]!.payload) as Record<string, unknown>;
    expect(envelope['incidentHistory']).toBeUndefined();
    // Nor findings about fields it cannot see: with only the id in view, no criterion is shown.
    expect(envelope['quality']).toEqual({ language: 'nl', criteria: {}, findings: [] });
  });
});

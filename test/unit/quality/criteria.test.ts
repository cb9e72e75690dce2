// Each of the work plan's criteria, table-driven: the case that breaks it, the severity it gets by default,
// what the verdict does with it (422 for a refusal, acceptance with a finding for a warning), and the valid
// example meeting every criterion.
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/errors.ts';
import type { Advice } from '../../../src/records/advice.ts';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import { validateRecord } from '../../../src/ingest/verdict.ts';
import { assessAdvice } from '../../../src/quality/assess.ts';
import { CRITERIA, type Criterion, type Outcome } from '../../../src/quality/criteria.ts';
import { todayInAmsterdam } from '../../../src/records/dates.ts';
import { daysFromToday, EXAMPLE_ADVICE, validAdvice } from '../../support/fixtures.ts';

const NOW = new Date();
const TODAY = todayInAmsterdam(NOW);

const words = (n: number) => Array.from({ length: n }, (_, i) => `woord${i % 10}`).join(' ');
const textOf = (length: number) => `${words(Math.ceil(length / 7))}`.slice(0, length);

interface Case {
  criterion: Criterion;
  name: string;
  change: (a: Advice) => void;
  /** "CODE pointer severity", sorted. */
  findings: string[];
  outcome: Outcome;
}

const CASES: Case[] = [
  {
    criterion: 'current',
    name: 'advice date tomorrow',
    change: (a) => {
      a.adviceDate = daysFromToday(1);
    },
    findings: ['DATE_IN_FUTURE /adviceDate refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'current',
    name: 'advice more than a year old (and so past its valid-until)',
    change: (a) => {
      a.adviceDate = daysFromToday(-370);
      a.validUntil = daysFromToday(-10);
    },
    findings: ['ADVICE_EXPIRED /validUntil refuse', 'ADVICE_OUTDATED /adviceDate refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'current',
    name: 'valid-until before the advice date',
    change: (a) => {
      a.validUntil = daysFromToday(-4);
    },
    findings: ['DATE_ORDER /validUntil refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'current',
    name: 'valid-until more than a year on',
    change: (a) => {
      a.validUntil = daysFromToday(400);
    },
    findings: ['VALIDITY_TOO_LONG /validUntil refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'current',
    name: 'valid-until passed',
    change: (a) => {
      a.adviceDate = daysFromToday(-30);
      a.validUntil = daysFromToday(-1);
    },
    findings: ['ADVICE_EXPIRED /validUntil refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'goal',
    name: 'goal "n.v.t."',
    change: (a) => {
      a.goal = 'n.v.t.';
    },
    findings: ['GOAL_MISSING /goal refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'goal',
    name: 'goal "Zie dossier"',
    change: (a) => {
      a.goal = 'Zie dossier';
    },
    findings: ['GOAL_MISSING /goal refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'goal',
    name: 'goal "-"',
    change: (a) => {
      a.goal = ' - ';
    },
    findings: ['GOAL_MISSING /goal refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'goal',
    name: 'goal "Onbekend."',
    change: (a) => {
      a.goal = 'Onbekend.';
    },
    findings: ['GOAL_MISSING /goal refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'goal',
    name: 'goal a referral inside a sentence',
    change: (a) => {
      a.goal = 'Zie het dossier in GCOS voor het doel.';
    },
    findings: ['GOAL_REFERS_ELSEWHERE /goal refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'goal',
    name: 'goal of one word',
    change: (a) => {
      a.goal = 'Behandeling.';
    },
    findings: ['GOAL_TOO_BRIEF /goal warn'],
    outcome: 'warning',
  },
  {
    criterion: 'context',
    name: 'environment "onbekend"',
    change: (a) => {
      a.context.environment = 'onbekend';
    },
    findings: ['CONTEXT_MISSING /context/environment refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'context',
    name: 'system a referral',
    change: (a) => {
      a.context.system = 'Zie GCOS-dossier 2024';
    },
    findings: ['CONTEXT_MISSING /context/system refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'context',
    name: 'environment a referral inside a sentence',
    change: (a) => {
      a.context.environment = 'Zie het verslag van het casusoverleg voor de omgeving.';
    },
    findings: ['CONTEXT_REFERS_ELSEWHERE /context/environment refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'context',
    name: 'system of two words',
    change: (a) => {
      a.context.system = 'Woont alleen.';
    },
    findings: ['CONTEXT_TOO_BRIEF /context/system warn'],
    outcome: 'warning',
  },
  {
    criterion: 'legal-language',
    name: 'conditional dismissal without conditions (explanation only)',
    change: (a) => {
      a.recommendation.conditions = [];
    },
    findings: ['LEGAL_CONDITIONS_MISSING /recommendation/conditions refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'legal-language',
    name: 'unconditional dismissal with a condition',
    change: (a) => {
      a.recommendation = { disposal: 'sepot', conditions: [{ code: 'contactverbod' }] };
    },
    findings: ['LEGAL_CONDITION_NOT_FOR_DISPOSAL /recommendation/conditions/0/code refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'legal-language',
    name: 'behavioural order with a clinical admission',
    change: (a) => {
      a.recommendation = { disposal: 'strafbeschikking-gedragsaanwijzing', conditions: [{ code: 'contactverbod' }, { code: 'klinische-opname' }] };
    },
    findings: ['LEGAL_CONDITION_NOT_FOR_DISPOSAL /recommendation/conditions/1/code refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'legal-language',
    name: 'a condition given twice',
    change: (a) => {
      a.recommendation.conditions.push({ code: 'contactverbod' });
    },
    findings: ['LEGAL_CONDITION_REPEATED /recommendation/conditions/3/code warn'],
    outcome: 'warning',
  },
  {
    criterion: 'concise',
    name: 'goal over the soft limit',
    change: (a) => {
      a.goal = textOf(900);
    },
    findings: ['CONCISE_FIELD_LONG /goal warn'],
    outcome: 'warning',
  },
  {
    criterion: 'concise',
    name: 'goal over the hard limit',
    change: (a) => {
      a.goal = textOf(1600);
    },
    findings: ['CONCISE_FIELD_TOO_LONG /goal refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'concise',
    name: 'narrative over the soft limit, every field under its own',
    change: (a) => {
      a.goal = textOf(700);
      a.context = { system: textOf(700), environment: textOf(700) };
      a.recommendation.explanation = textOf(700);
    },
    findings: ['CONCISE_NARRATIVE_LONG  warn'],
    outcome: 'warning',
  },
  {
    criterion: 'concise',
    name: 'narrative over the hard limit',
    change: (a) => {
      a.goal = textOf(1400);
      a.context = { system: textOf(1400), environment: textOf(1400) };
      a.recommendation.explanation = textOf(1400);
    },
    findings: [
      'CONCISE_FIELD_LONG /context/environment warn',
      'CONCISE_FIELD_LONG /context/system warn',
      'CONCISE_FIELD_LONG /goal warn',
      'CONCISE_FIELD_LONG /recommendation/explanation warn',
      'CONCISE_NARRATIVE_TOO_LONG  refuse',
    ],
    outcome: 'refused',
  },
  {
    criterion: 'concise',
    name: 'an incident summary over the soft limit',
    change: (a) => {
      a.domesticViolence.incidents![1]!.summary = textOf(320);
    },
    findings: ['CONCISE_FIELD_LONG /domesticViolence/incidents/1/summary warn'],
    outcome: 'warning',
  },
  {
    criterion: 'domestic-violence',
    name: 'flag without incidents',
    change: (a) => {
      delete a.domesticViolence.incidents;
    },
    findings: ['DV_HISTORY_MISSING /domesticViolence/incidents refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'domestic-violence',
    name: 'flag with an empty history',
    change: (a) => {
      a.domesticViolence.incidents = [];
    },
    findings: ['DV_HISTORY_MISSING /domesticViolence/incidents refuse'],
    outcome: 'refused',
  },
  {
    criterion: 'domestic-violence',
    name: 'incidents without the flag',
    change: (a) => {
      a.domesticViolence.flag = false;
    },
    findings: ['DV_HISTORY_WITHOUT_FLAG /domesticViolence/flag warn'],
    outcome: 'warning',
  },
];

function advice(change?: (a: Advice) => void): Advice {
  const a = validAdvice() as unknown as Advice;
  change?.(a);
  return a;
}

const summary = (findings: { code: string; pointer: string; severity: string }[]) => findings.map((f) => `${f.code} ${f.pointer} ${f.severity}`).sort();

describe('quality criteria', () => {
  it('the valid example meets every criterion', () => {
    expect(assessAdvice(advice(), TODAY)).toEqual({ criteria: Object.fromEntries(CRITERIA.map((c) => [c, 'met'])), findings: [] });
    const published = { ...EXAMPLE_ADVICE, adviceDate: daysFromToday(-1), validUntil: daysFromToday(30) } as unknown as Advice;
    expect(assessAdvice(published, TODAY).findings).toEqual([]);
  });

  it('has a refusing or a warning case for every criterion', () => {
    for (const c of CRITERIA) expect(CASES.filter((k) => k.criterion === c).length, c).toBeGreaterThan(0);
  });

  it.each(CASES)('$criterion: $name -> $outcome', ({ criterion, change, findings, outcome }) => {
    const report = assessAdvice(advice(change), TODAY);
    expect(summary(report.findings)).toEqual(findings);
    expect(report.findings.every((f) => f.criterion === criterion)).toBe(true);
    expect(report.criteria).toEqual({ ...Object.fromEntries(CRITERIA.map((c) => [c, 'met'])), [criterion]: outcome });

    // Through the verdict: a refusal is a 422 listing every refusing finding with its criterion; a warning is
    // an acceptance that carries the finding.
    const refusing = report.findings.filter((f) => f.severity === 'refuse');
    try {
      const verdict = validateRecord(KINDS.advice, advice(change), NOW);
      expect(outcome).toBe('warning');
      expect(verdict.quality).toEqual(report);
    } catch (err) {
      if (!(err instanceof BridgeError)) throw err;
      expect(outcome).toBe('refused');
      expect(err.status).toBe(422);
      expect(err.errors?.map((e) => `${e.code} ${e.pointer} ${e.criterion}`).sort()).toEqual(refusing.map((f) => `${f.code} ${f.pointer} ${criterion}`).sort());
      expect(err.extensions['quality']).toMatchObject({ language: 'en', criteria: report.criteria });
    }
  });

  it('lists every failed criterion at once, next to the integrity rules', () => {
    const a = advice((x) => {
      x.goal = 'nvt';
      x.context.environment = '...';
      x.domesticViolence.incidents = [];
      x.subject.bsn = '999990018'; // fails the eleven-test
    });
    const err = (() => {
      try {
        validateRecord(KINDS.advice, a, NOW);
      } catch (e) {
        return e as BridgeError;
      }
      throw new Error('accepted');
    })();
    expect(err.errors?.map((e) => `${e.code} ${e.pointer}`).sort()).toEqual([
      'BSN_ELEVEN_TEST /subject/bsn',
      'CONTEXT_MISSING /context/environment',
      'DV_HISTORY_MISSING /domesticViolence/incidents',
      'GOAL_MISSING /goal',
    ]);
  });

  it('takes severities from configuration: a warning can refuse and a refusal can warn', () => {
    const brief = advice((x) => {
      x.goal = 'Behandeling.';
    });
    expect(() => validateRecord(KINDS.advice, brief, NOW, { severities: { GOAL_TOO_BRIEF: 'refuse' } })).toThrow(BridgeError);
    const noHistory = advice((x) => {
      x.domesticViolence.incidents = [];
    });
    const v = validateRecord(KINDS.advice, noHistory, NOW, { severities: { DV_HISTORY_MISSING: 'warn' } });
    expect(v.quality?.criteria['domestic-violence']).toBe('warning');
    expect(v.quality?.findings).toEqual([
      { criterion: 'domestic-violence', code: 'DV_HISTORY_MISSING', severity: 'warn', pointer: '/domesticViolence/incidents' },
    ]);
  });

  it('tells a refusal in the chosen language, with the same codes', () => {
    const a = advice((x) => {
      x.goal = 'n.v.t.';
    });
    const texts = (['en', 'nl'] as const).map((language) => {
      try {
        validateRecord(KINDS.advice, a, NOW, { language });
      } catch (e) {
        return e as BridgeError;
      }
      throw new Error('accepted');
    });
    expect(texts.map((e) => e.errors?.map((x) => x.code))).toEqual([['GOAL_MISSING'], ['GOAL_MISSING']]);
    expect(texts[0]!.errors![0]!.detail).toMatch(/goal of the intervention/);
    expect(texts[1]!.errors![0]!.detail).toMatch(/doel van de interventie/);
    expect(texts[1]!.headers['content-language']).toBe('nl');
  });
});

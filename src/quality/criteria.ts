// The work plan's six quality criteria for an advice, and the stable code of every finding each can make.
// Codes are published (receipts, problem documents, messages, metrics): add codes, never rename or reuse one.
import type { FieldCode } from '../errors.ts';

export const CRITERIA = ['current', 'goal', 'context', 'legal-language', 'concise', 'domestic-violence'] as const;
export type Criterion = (typeof CRITERIA)[number];

export type Severity = 'refuse' | 'warn';
export type Outcome = 'met' | 'warning' | 'refused';

interface CodeSpec {
  criterion: Criterion;
  /** What the code does unless QUALITY_SEVERITIES says otherwise. */
  severity: Severity;
}

export const QUALITY_CODES = {
  // The advice date and valid-until: the existing date codes keep their meaning, now as findings of "current".
  DATE_IN_FUTURE: { criterion: 'current', severity: 'refuse' },
  ADVICE_OUTDATED: { criterion: 'current', severity: 'refuse' },
  DATE_ORDER: { criterion: 'current', severity: 'refuse' },
  VALIDITY_TOO_LONG: { criterion: 'current', severity: 'refuse' },
  ADVICE_EXPIRED: { criterion: 'current', severity: 'refuse' },
  GOAL_MISSING: { criterion: 'goal', severity: 'refuse' },
  GOAL_TOO_BRIEF: { criterion: 'goal', severity: 'warn' },
  GOAL_REFERS_ELSEWHERE: { criterion: 'goal', severity: 'refuse' },
  CONTEXT_MISSING: { criterion: 'context', severity: 'refuse' },
  CONTEXT_TOO_BRIEF: { criterion: 'context', severity: 'warn' },
  CONTEXT_REFERS_ELSEWHERE: { criterion: 'context', severity: 'refuse' },
  LEGAL_CONDITIONS_MISSING: { criterion: 'legal-language', severity: 'refuse' },
  LEGAL_CONDITION_NOT_FOR_DISPOSAL: { criterion: 'legal-language', severity: 'refuse' },
  LEGAL_CONDITION_REPEATED: { criterion: 'legal-language', severity: 'warn' },
  CONCISE_FIELD_LONG: { criterion: 'concise', severity: 'warn' },
  CONCISE_FIELD_TOO_LONG: { criterion: 'concise', severity: 'refuse' },
  CONCISE_NARRATIVE_LONG: { criterion: 'concise', severity: 'warn' },
  CONCISE_NARRATIVE_TOO_LONG: { criterion: 'concise', severity: 'refuse' },
  DV_HISTORY_MISSING: { criterion: 'domestic-violence', severity: 'refuse' },
  DV_HISTORY_WITHOUT_FLAG: { criterion: 'domestic-violence', severity: 'warn' },
} as const satisfies Partial<Record<FieldCode, CodeSpec>>;

export type QualityCode = keyof typeof QUALITY_CODES;

export function isQualityCode(code: string): code is QualityCode {
  return Object.hasOwn(QUALITY_CODES, code);
}

/** Figures a message needs (lengths, limits, list codes): never text from the advice itself. */
export type FindingArgs = Record<string, string | number>;

/** What a rule reports: which code, where. The severity comes from configuration. */
export interface RuleFinding {
  code: QualityCode;
  pointer: string;
  args?: FindingArgs;
}

/** One finding as stored with the receipt: language-neutral, rendered into a language on the way out. */
export interface Finding extends RuleFinding {
  criterion: Criterion;
  severity: Severity;
}

export interface QualityReport {
  /** Every criterion for the submitter; a recipient sees those its view covers (view.ts). */
  criteria: Partial<Record<Criterion, Outcome>>;
  findings: Finding[];
}

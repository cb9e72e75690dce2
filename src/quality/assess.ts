// The quality verdict on one advice: every rule's findings, each with its configured severity, and per
// criterion whether it is met, met with a warning, or refused.
import type { Advice } from '../records/advice.ts';
import { CRITERIA, QUALITY_CODES, type Criterion, type Finding, type Outcome, type QualityReport } from './criteria.ts';
import { RULES } from './rules/index.ts';
import { severityOf, type Severities } from './severity.ts';

export function outcomeOf(findings: readonly { severity: string }[]): Outcome {
  if (findings.some((f) => f.severity === 'refuse')) return 'refused';
  return findings.length > 0 ? 'warning' : 'met';
}

export function assessAdvice(advice: Advice, today: string, severities: Severities = {}): QualityReport {
  const findings: Finding[] = RULES.flatMap((rule) =>
    rule.check(advice, today).map((f) => ({
      criterion: QUALITY_CODES[f.code].criterion,
      code: f.code,
      severity: severityOf(f.code, severities),
      pointer: f.pointer,
      ...(f.args ? { args: f.args } : {}),
    })),
  );
  const criteria = Object.fromEntries(CRITERIA.map((c) => [c, outcomeOf(findings.filter((f) => f.criterion === c))])) as Record<Criterion, Outcome>;
  return { criteria, findings };
}

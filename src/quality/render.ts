// A stored, language-neutral report told in one language: the receipt, the 422 problem and the message to ZSM
// all show findings this way.
import type { FieldError } from '../errors.ts';
import type { Criterion, Outcome, QualityCode, QualityReport, Severity } from './criteria.ts';
import type { Language } from './language.ts';
import { messageFor } from './messages.ts';

export interface RenderedFinding {
  criterion: Criterion;
  code: QualityCode;
  severity: Severity;
  pointer: string;
  message: string;
}

export interface RenderedReport {
  language: Language;
  criteria: Partial<Record<Criterion, Outcome>>;
  findings: RenderedFinding[];
}

export function renderReport(report: QualityReport, language: Language): RenderedReport {
  return {
    language,
    criteria: report.criteria,
    findings: report.findings.map((f) => ({
      criterion: f.criterion,
      code: f.code,
      severity: f.severity,
      pointer: f.pointer,
      message: messageFor(f.code, language, f.args),
    })),
  };
}

/** The refusing findings as the problem document's field errors, next to schema and integrity errors. */
export function refusalErrors(report: QualityReport, language: Language): FieldError[] {
  return report.findings
    .filter((f) => f.severity === 'refuse')
    .map((f) => ({ code: f.code, pointer: f.pointer, detail: messageFor(f.code, language, f.args), criterion: f.criterion }));
}

// The findings a recipient may see: a finding points into the advice, and a recipient whose view of the advice
// leaves a field out must not learn about that field from a finding (a "history missing" finding would tell
// that domestic violence is flagged). With the whole advice in the view nothing is left out.
import type { QualityReport } from './criteria.ts';
import { RULES } from './rules/index.ts';

function topField(pointer: string): string | undefined {
  const first = pointer.split('/')[1];
  return first?.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function reportForView(report: QualityReport, view: unknown): QualityReport {
  const fields = view && typeof view === 'object' ? new Set(Object.keys(view)) : new Set<string>();
  const visible = new Set(RULES.filter((r) => r.fields.some((f) => fields.has(f))).map((r) => r.criterion));
  const criteria = Object.fromEntries(Object.entries(report.criteria).filter(([c]) => visible.has(c as never)));
  const findings = report.findings.filter((f) => {
    const field = topField(f.pointer);
    // The whole-document pointer "" (the narrative) goes wherever its criterion is visible.
    return visible.has(f.criterion) && (field === undefined || fields.has(field));
  });
  return { criteria, findings };
}

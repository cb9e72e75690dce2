// Counts one judged advice for the quality dashboard. Called once per advice: on acceptance (not on a replay,
// which repeats an advice already counted) and on a refusal.
import type { Metrics } from '../observability/metrics.ts';
import type { Criterion, Outcome } from './criteria.ts';

export function countQuality(
  metrics: Metrics,
  issuerOin: string,
  report: { criteria: Partial<Record<Criterion, Outcome>>; findings: readonly { criterion: string; code: string; severity: string }[] },
): void {
  const issuer = metrics.issuerLabel(issuerOin);
  for (const [criterion, outcome] of Object.entries(report.criteria)) metrics.qualityCriteria.inc({ criterion, outcome, issuer });
  for (const f of report.findings) metrics.qualityFindings.inc({ criterion: f.criterion, code: f.code, severity: f.severity, issuer });
}

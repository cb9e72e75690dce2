// Which findings refuse an advice and which only warn: the defaults in criteria.ts, overridden per code by
// QUALITY_SEVERITIES ("CODE=refuse|warn,..."), which is checked once at start like all configuration.
import { isQualityCode, QUALITY_CODES, type QualityCode, type Severity } from './criteria.ts';

export type Severities = Partial<Record<QualityCode, Severity>>;

export function severityOf(code: QualityCode, overrides: Severities): Severity {
  return overrides[code] ?? QUALITY_CODES[code].severity;
}

/** Parses the mapping; each problem (unknown code, unknown severity, malformed entry) is one string in `problems`. */
export function parseSeverities(text: string, problems: string[]): Severities {
  const out: Severities = {};
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const [code = '', severity = '', ...rest] = entry.split('=').map((p) => p.trim());
    if (rest.length > 0 || !code || !severity) problems.push(`QUALITY_SEVERITIES entry "${entry}" is not CODE=refuse or CODE=warn`);
    else if (!isQualityCode(code)) problems.push(`QUALITY_SEVERITIES names an unknown quality code ${code} (known: ${Object.keys(QUALITY_CODES).join(', ')})`);
    else if (severity !== 'refuse' && severity !== 'warn') problems.push(`QUALITY_SEVERITIES gives ${code} the severity "${severity}"; use refuse or warn`);
    else out[code] = severity;
  }
  return out;
}

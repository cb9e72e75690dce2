// "Current": not older than one year. The advice date lies between a year ago and today; valid-until lies
// after it, at most a year after it, and not in the past (an advice that may no longer be used is no advice).
import { addYears } from '../../records/dates.ts';
import type { RuleFinding } from '../criteria.ts';
import type { Rule } from './rule.ts';

export const current: Rule = {
  criterion: 'current',
  fields: ['adviceDate', 'validUntil'],
  check(a, today) {
    const out: RuleFinding[] = [];
    // ISO dates compare correctly as strings.
    if (a.adviceDate > today) out.push({ code: 'DATE_IN_FUTURE', pointer: '/adviceDate' });
    else if (a.adviceDate < addYears(today, -1)) out.push({ code: 'ADVICE_OUTDATED', pointer: '/adviceDate' });
    if (a.validUntil < a.adviceDate) out.push({ code: 'DATE_ORDER', pointer: '/validUntil' });
    else if (a.validUntil > addYears(a.adviceDate, 1)) out.push({ code: 'VALIDITY_TOO_LONG', pointer: '/validUntil' });
    else if (a.validUntil < today) out.push({ code: 'ADVICE_EXPIRED', pointer: '/validUntil' });
    return out;
  },
};

// "Domestic violence: the incident history". The flag needs a history; the schema makes every incident carry a
// date, a kind and the subject's role. The bridge adds what ZSM knows after the verdict (../enrichment.ts): the
// verdict is about what the Veiligheidshuis sent, so the offline validator gives the same one.
import type { RuleFinding } from '../criteria.ts';
import type { Rule } from './rule.ts';

export const domesticViolence: Rule = {
  criterion: 'domestic-violence',
  fields: ['domesticViolence'],
  check(a) {
    const out: RuleFinding[] = [];
    const count = a.domesticViolence.incidents?.length ?? 0;
    if (a.domesticViolence.flag && count === 0) out.push({ code: 'DV_HISTORY_MISSING', pointer: '/domesticViolence/incidents' });
    if (!a.domesticViolence.flag && count > 0) out.push({ code: 'DV_HISTORY_WITHOUT_FLAG', pointer: '/domesticViolence/flag' });
    return out;
  },
};

// "Concrete legal language: the recommendation names a disposal the OM can actually take". The schema already
// holds disposal and conditions to closed lists; this rule checks that they fit together, so that the
// conditions are codes the disposal can carry and not only prose in the explanation.
import type { RuleFinding } from '../criteria.ts';
import { DISPOSAL_CONDITIONS } from '../disposals.ts';
import type { Rule } from './rule.ts';

export const legalLanguage: Rule = {
  criterion: 'legal-language',
  fields: ['recommendation'],
  check(a) {
    const out: RuleFinding[] = [];
    const { disposal, conditions } = a.recommendation;
    const fit = DISPOSAL_CONDITIONS[disposal];
    if (!fit) return out; // every schema disposal has a row (unit-tested)
    if (fit.required && conditions.length === 0) {
      out.push({ code: 'LEGAL_CONDITIONS_MISSING', pointer: '/recommendation/conditions', args: { disposal } });
    }
    const seen = new Set<string>();
    for (const [i, c] of conditions.entries()) {
      const pointer = `/recommendation/conditions/${i}/code`;
      if (seen.has(c.code)) out.push({ code: 'LEGAL_CONDITION_REPEATED', pointer, args: { condition: c.code } });
      else if (fit.allowed !== 'any' && !fit.allowed.includes(c.code)) {
        out.push({ code: 'LEGAL_CONDITION_NOT_FOR_DISPOSAL', pointer, args: { condition: c.code, disposal } });
      }
      seen.add(c.code);
    }
    return out;
  },
};

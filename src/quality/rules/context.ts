// "Context information about the impact on the person's system (household, children) and environment": both
// parts present and meaningful. A part that only points elsewhere ("zie het verslag van het casusoverleg voor de
// thuissituatie") describes nothing: CONTEXT_REFERS_ELSEWHERE.
import type { RuleFinding } from '../criteria.ts';
import { MIN_WORDS } from '../limits.ts';
import { emptiness, pointsElsewhere, wordCount } from '../text.ts';
import type { Rule } from './rule.ts';

export const context: Rule = {
  criterion: 'context',
  fields: ['context'],
  check(a) {
    const out: RuleFinding[] = [];
    for (const part of ['system', 'environment'] as const) {
      const text = a.context[part];
      const pointer = `/context/${part}`;
      if (emptiness(text)) out.push({ code: 'CONTEXT_MISSING', pointer });
      else if (pointsElsewhere(text)) out.push({ code: 'CONTEXT_REFERS_ELSEWHERE', pointer });
      else if (wordCount(text) < MIN_WORDS) out.push({ code: 'CONTEXT_TOO_BRIEF', pointer, args: { words: wordCount(text), minimum: MIN_WORDS } });
    }
    return out;
  },
};

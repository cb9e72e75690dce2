// "The goal of the intervention is clear": present, not a placeholder or a referral, and more than a word or two.
// A goal that is only a referral or a placeholder inside a sentence ("zie het dossier in GCOS voor het doel",
// "conform eerder advies", "Het doel volgt nog.") states no goal either: GOAL_REFERS_ELSEWHERE.
import type { RuleFinding } from '../criteria.ts';
import { MIN_WORDS } from '../limits.ts';
import { emptiness, pointsElsewhere, wordCount } from '../text.ts';
import type { Rule } from './rule.ts';

export const goal: Rule = {
  criterion: 'goal',
  fields: ['goal'],
  check(a) {
    const out: RuleFinding[] = [];
    if (emptiness(a.goal)) out.push({ code: 'GOAL_MISSING', pointer: '/goal' });
    else if (pointsElsewhere(a.goal)) out.push({ code: 'GOAL_REFERS_ELSEWHERE', pointer: '/goal' });
    else if (wordCount(a.goal) < MIN_WORDS) out.push({ code: 'GOAL_TOO_BRIEF', pointer: '/goal', args: { words: wordCount(a.goal), minimum: MIN_WORDS } });
    return out;
  },
};

import { concise } from './concise.ts';
import { context } from './context.ts';
import { current } from './current.ts';
import { domesticViolence } from './domestic-violence.ts';
import { goal } from './goal.ts';
import { legalLanguage } from './legal-language.ts';
import type { Rule } from './rule.ts';

/** One rule per criterion, in the work plan's order. */
export const RULES: readonly Rule[] = [current, goal, context, legalLanguage, concise, domesticViolence];
export type { Rule } from './rule.ts';

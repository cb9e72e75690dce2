import type { Advice } from '../../records/advice.ts';
import type { Criterion, RuleFinding } from '../criteria.ts';

/** One criterion of the work plan: pure, deterministic for a given advice and day. */
export interface Rule {
  criterion: Criterion;
  /** Top-level fields the rule reads: a recipient whose view holds none of them is not told about the criterion. */
  fields: readonly string[];
  check(advice: Advice, today: string): RuleFinding[];
}

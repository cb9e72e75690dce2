// "Short and concise": every free text and all of them together stay under a soft limit (a warning) and a hard
// one (a refusal). The limits are in ../limits.ts.
import type { Advice } from '../../records/advice.ts';
import type { RuleFinding } from '../criteria.ts';
import { FIELD_LIMITS, NARRATIVE_LIMIT } from '../limits.ts';
import { textLength } from '../text.ts';
import type { Rule } from './rule.ts';

/** Every free text of the advice: [pointer, limit pattern, text]. */
function texts(a: Advice): [string, string, string][] {
  const out: [string, string, string][] = [
    ['/goal', '/goal', a.goal],
    ['/context/system', '/context/system', a.context.system],
    ['/context/environment', '/context/environment', a.context.environment],
  ];
  if (a.recommendation.explanation !== undefined) out.push(['/recommendation/explanation', '/recommendation/explanation', a.recommendation.explanation]);
  for (const [i, c] of a.recommendation.conditions.entries()) {
    if (c.detail !== undefined) out.push([`/recommendation/conditions/${i}/detail`, '/recommendation/conditions/*/detail', c.detail]);
  }
  for (const [i, incident] of (a.domesticViolence.incidents ?? []).entries()) {
    if (incident.summary !== undefined) out.push([`/domesticViolence/incidents/${i}/summary`, '/domesticViolence/incidents/*/summary', incident.summary]);
  }
  return out;
}

export const concise: Rule = {
  criterion: 'concise',
  fields: ['goal', 'context', 'recommendation', 'domesticViolence'],
  check(a) {
    const out: RuleFinding[] = [];
    let total = 0;
    for (const [pointer, pattern, text] of texts(a)) {
      const length = textLength(text);
      total += length;
      const limit = FIELD_LIMITS[pattern]!;
      if (length > limit.hard) out.push({ code: 'CONCISE_FIELD_TOO_LONG', pointer, args: { length, limit: limit.hard } });
      else if (length > limit.soft) out.push({ code: 'CONCISE_FIELD_LONG', pointer, args: { length, limit: limit.soft } });
    }
    // The pointer "" is the whole document: the narrative has no single place.
    if (total > NARRATIVE_LIMIT.hard) out.push({ code: 'CONCISE_NARRATIVE_TOO_LONG', pointer: '', args: { length: total, limit: NARRATIVE_LIMIT.hard } });
    else if (total > NARRATIVE_LIMIT.soft) out.push({ code: 'CONCISE_NARRATIVE_LONG', pointer: '', args: { length: total, limit: NARRATIVE_LIMIT.soft } });
    return out;
  },
};

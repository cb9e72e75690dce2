// Limits of the "short and concise" criterion and the word minimum of goal and context. Data, not code: change
// the numbers here (a unit test keeps every hard limit below the schema's maxLength, so the schema's own
// FIELD_TOO_LONG stays the last resort and the quality rule speaks first).

export interface TextLimit {
  /** Above this many characters: a warning. */
  soft: number;
  /** Above this many characters: a refusal. */
  hard: number;
}

/** Free-text fields of an advice, by JSON pointer pattern (`*` is an array index). */
export const FIELD_LIMITS: Record<string, TextLimit> = {
  '/goal': { soft: 800, hard: 1500 },
  '/context/system': { soft: 800, hard: 1500 },
  '/context/environment': { soft: 800, hard: 1500 },
  '/recommendation/explanation': { soft: 800, hard: 1500 },
  '/recommendation/conditions/*/detail': { soft: 300, hard: 450 },
  '/domesticViolence/incidents/*/summary': { soft: 300, hard: 450 },
};

/** All free text of the advice together: what an officer has to read. */
export const NARRATIVE_LIMIT: TextLimit = { soft: 2500, hard: 5000 };

/** Fewer words than this in the goal or a context field: too brief to be clear (a warning by default). */
export const MIN_WORDS = 3;

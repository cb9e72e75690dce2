// The quality module's parts: placeholder detection, language choice, the severity mapping, and the data
// (limits, disposal conditions, messages) checked against the schema and the error catalogue.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELD_CODES } from '../../../src/errors.ts';
import { QUALITY_CODES, type QualityCode } from '../../../src/quality/criteria.ts';
import { DISPOSAL_CONDITIONS } from '../../../src/quality/disposals.ts';
import { negotiateLanguage } from '../../../src/quality/language.ts';
import { FIELD_LIMITS, NARRATIVE_LIMIT } from '../../../src/quality/limits.ts';
import { messageFor } from '../../../src/quality/messages.ts';
import { parseSeverities, severityOf } from '../../../src/quality/severity.ts';
import { emptiness, normalise, textLength, wordCount } from '../../../src/quality/text.ts';

type Node = Record<string, unknown> & { properties?: Record<string, Node>; items?: Node; maxLength?: number; enum?: string[] };
const SCHEMA = JSON.parse(readFileSync(new URL('../../../schemas/advice.v1.json', import.meta.url), 'utf8')) as Node;

/** The schema node at a pointer pattern such as /recommendation/conditions/STAR/detail. */
function schemaAt(pattern: string): Node {
  let node = SCHEMA;
  for (const part of pattern.split('/').slice(1)) node = (part === '*' ? node.items : node.properties?.[part])!;
  return node;
}

describe('meaningful text', () => {
  it.each([
    ['n.v.t.', 'placeholder'],
    ['N.V.T', 'placeholder'],
    ['nvt', 'placeholder'],
    ['Niet van toepassing', 'placeholder'],
    ['zie dossier', 'placeholder'],
    ['Zie GCOS', 'placeholder'],
    ['onbekend', 'placeholder'],
    ['N/A', 'placeholder'],
    ['-', 'empty'],
    ['   ', 'empty'],
    ['...', 'empty'],
    ['2024', 'empty'],
    ['Zie verslag casusoverleg 12 maart', 'referral'],
    ['zie het plan van aanpak', 'referral'],
    ['Zie erop toe dat hij de behandeling afmaakt', undefined],
    ['Stabiliseren van de thuissituatie', undefined],
  ])('%j is %s', (text, expected) => {
    expect(emptiness(text)).toBe(expected);
  });

  it('normalises case, diacritics and abbreviations, and counts words and characters as the schema does', () => {
    expect(normalise('Ze wil ÉÉN café-bezoek, n.v.t.!')).toBe('ze wil een cafe bezoek nvt');
    expect(wordCount('Hulp.')).toBe(1);
    expect(wordCount('Stabiliseren van de thuissituatie')).toBe(4);
    expect(textLength('👍é')).toBe(2); // code points, like ajv's maxLength
  });
});

describe('language', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['nl', 'nl'],
    ['nl-NL,nl;q=0.9,en;q=0.8', 'nl'],
    ['en-GB,nl;q=0.5', 'en'],
    ['fr, nl;q=0.3', 'nl'],
    ['fr', 'en'],
    ['*', 'en'],
    ['nl;q=0, en', 'en'],
    ['en;q=0.4, nl;q=0.6', 'nl'],
    [['de', 'nl-BE'], 'nl'],
    ['nl;q=abc', 'en'],
  ])('Accept-Language %j -> %s', (header, expected) => {
    expect(negotiateLanguage(header as string)).toBe(expected);
  });
});

describe('severities', () => {
  it("parses the mapping and falls back to each code's default", () => {
    const problems: string[] = [];
    const s = parseSeverities(' GOAL_TOO_BRIEF=refuse , DV_HISTORY_MISSING = warn,', problems);
    expect(problems).toEqual([]);
    expect(s).toEqual({ GOAL_TOO_BRIEF: 'refuse', DV_HISTORY_MISSING: 'warn' });
    expect(severityOf('GOAL_TOO_BRIEF', s)).toBe('refuse');
    expect(severityOf('GOAL_MISSING', s)).toBe('refuse');
    expect(severityOf('CONCISE_FIELD_LONG', s)).toBe('warn');
  });

  it('names every bad entry', () => {
    const problems: string[] = [];
    parseSeverities('NO_SUCH_CODE=warn,GOAL_MISSING=off,GOAL_TOO_BRIEF,BSN_ELEVEN_TEST=warn', problems);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/unknown quality code NO_SUCH_CODE/);
    expect(problems.join('\n')).toMatch(/GOAL_MISSING the severity "off"/);
    expect(problems.join('\n')).toMatch(/"GOAL_TOO_BRIEF" is not CODE=refuse/);
    // Integrity rules are not quality findings: they always refuse.
    expect(problems.join('\n')).toMatch(/unknown quality code BSN_ELEVEN_TEST/);
  });
});

describe("the criteria's data", () => {
  it("keeps every hard limit below the schema's maxLength and every soft limit below the hard one", () => {
    for (const [pattern, limit] of Object.entries(FIELD_LIMITS)) {
      const maxLength = schemaAt(pattern).maxLength;
      expect(maxLength, pattern).toBeGreaterThan(limit.hard);
      expect(limit.hard, pattern).toBeGreaterThan(limit.soft);
    }
    expect(NARRATIVE_LIMIT.hard).toBeGreaterThan(NARRATIVE_LIMIT.soft);
  });

  it('has a conditions row for every disposal, naming only conditions of the schema', () => {
    const disposals = schemaAt('/recommendation/disposal').enum!;
    const conditions = schemaAt('/recommendation/conditions/*/code').enum!;
    expect(Object.keys(DISPOSAL_CONDITIONS).sort()).toEqual([...disposals].sort());
    for (const row of Object.values(DISPOSAL_CONDITIONS)) {
      if (row.allowed !== 'any') for (const c of row.allowed) expect(conditions).toContain(c);
      if (row.required) expect(row.allowed === 'any' || row.allowed.length > 0).toBe(true);
    }
  });

  it('puts every quality code in the error catalogue, with an English and a Dutch message that differ', () => {
    const args = { words: 1, minimum: 3, length: 900, limit: 800, disposal: 'sepot', condition: 'meldplicht' };
    for (const code of Object.keys(QUALITY_CODES) as QualityCode[]) {
      expect(FIELD_CODES[code], code).toBeTruthy();
      const en = messageFor(code, 'en', args);
      const nl = messageFor(code, 'nl', args);
      expect(en).not.toBe(nl);
      expect(en + nl).not.toMatch(/undefined/);
    }
  });
});

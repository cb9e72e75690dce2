// Is a free text meaningful? Empty, a placeholder ("n.v.t.", "zie dossier", "-") or a bare referral says
// nothing to the officer. Texts are compared in a normal form: lower case, no diacritics, no punctuation.
// Referrals and placeholders inside a sentence ("zie het dossier in GCOS voor het doel") are referrals.ts.
import { refersElsewhere } from './referrals.ts';

// Compact forms (letters and digits only) of texts that stand in for content. Dutch first, the usual English.
const PLACEHOLDERS = new Set([
  'nvt',
  'nietvantoepassing',
  'nb',
  'nnb',
  'nietbekend',
  'nognietbekend',
  'onbekend',
  'nogonbekend',
  'geen',
  'leeg',
  'ntb',
  'nadertebepalen',
  'volgt',
  'volgtnog',
  'volgtlater',
  'nagezonden',
  'wordtnagezonden',
  'idem',
  'idemdito',
  'dito',
  'ditto',
  'pm',
  'wordtaangevuld',
  'nogaanvullen',
  'zieboven',
  'ziehierboven',
  'ziedossier',
  'ziegcos',
  'ziebijlage',
  'ziebijlagen',
  'zieeerderadvies',
  'zieverslag',
  'zieplanvanaanpak',
  'na',
  'none',
  'unknown',
  'tbd',
  'tba',
  'tbc',
  'todo',
  'seefile',
  'seeabove',
  'test',
  'x',
  'xx',
  'xxx',
]);

/** Lower case, diacritics and punctuation removed, words separated by one space. "N.v.t." -> "nvt". */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[./]/g, '') // abbreviations: n.v.t., n/a
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// A leading label the writer typed before the text: "Doel: zie dossier." is "zie dossier".
const LABEL =
  /^\s*(?:(?:het|the)\s+)?(?:doel|doelen|doelstelling|doelstellingen|goal|goals|aim|objective|purpose|context|systeem|omgeving|system|environment)(?:\s+(?:van de interventie|of the intervention))?\s*[:=\u2013\u2014-]+/iu;

/** The text without a leading "Doel:", "Goal:", "Systeem:" label. */
export function withoutLabel(text: string): string {
  return text.replace(LABEL, ' ');
}

export type Emptiness = 'empty' | 'placeholder' | 'referral';

/** Why a text says nothing, or undefined when it says something. */
export function emptiness(text: string): Emptiness | undefined {
  const norm = normalise(withoutLabel(text));
  if (!/\p{L}/u.test(norm)) return 'empty'; // whitespace, dashes, dots, digits only
  if (PLACEHOLDERS.has(norm.replace(/ /g, ''))) return 'placeholder';
  // "zie dossier 2024", "zie het plan van aanpak": a pointer elsewhere instead of the content. A sentence that
  // happens to start with "zie" ("Zie erop toe dat hij de behandeling afmaakt") is longer.
  const words = norm.split(' ');
  if ((words[0] === 'zie' || words[0] === 'see') && words.length <= 6) return 'referral';
  return undefined;
}

/**
 * Whether a text that is not empty says nothing but where to look or that it will follow: "zie het dossier in GCOS
 * voor het doel", "Conform eerder advies.", "Het doel volgt nog." (referrals.ts has the phrases).
 */
export function pointsElsewhere(text: string): boolean {
  return refersElsewhere(normalise(text));
}

/** Words of at least two letters: "Hulp." has 1, "Stabiliseren van de thuissituatie" has 4. */
export function wordCount(text: string): number {
  return normalise(text)
    .split(' ')
    .filter((w) => /\p{L}.*\p{L}/u.test(w)).length;
}

/** Length in code points, as JSON Schema's maxLength counts. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

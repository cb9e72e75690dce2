// Texts that point elsewhere instead of saying something: "zie het dossier in GCOS voor het doel", "conform eerder
// advies", "Het doel volgt nog.", "as per the case file". The officer at ZSM reads this advice, not the dossier.
//
// The phrase lists below are data, in the normal form of text.ts (lower case, no diacritics or punctuation, one
// space between words), Dutch first, then English. They are compiled once, at load, into two regular expressions:
//   - a REFERRAL is a POINTER followed within MAX_GAP words by a SOURCE: "zie (het) dossier", "conform eerder advies";
//   - a DEFERRAL stands in for content wherever it is: "idem", "volgt nog", "nader te bepalen", "to follow".
// A text refers elsewhere when it holds at least one of them and nothing else but FILLER words (articles,
// prepositions, "doel", dates) and SOURCES named again: "zie het dossier in GCOS voor het doel" does, "terugdringen van recidive door
// begeleiding; afspraken staan ook in het dossier" does not (four words of substance), and neither does "Hij volgt
// een behandeling bij de GGZ" ("volgt" as an ordinary verb, beside substance).
// A SOURCE or DEFERRAL ending in `*` also matches longer words ("dossier*": dossiernummer, dossierhouder).

/** Words that point away, when a SOURCE follows. */
export const POINTERS = [
  'zie',
  'zie ook',
  'zie hiervoor',
  'zie daarvoor',
  'raadpleeg',
  'verwijs',
  'verwijzen',
  'verwezen',
  'verwijzing',
  'conform',
  'overeenkomstig',
  'volgens',
  'zoals in',
  'zoals beschreven',
  'zoals vermeld',
  'zoals opgenomen',
  'zoals genoemd',
  'zoals eerder',
  'staat in',
  'staan in',
  'beschreven in',
  'vermeld in',
  'opgenomen in',
  'vastgelegd in',
  'te vinden in',
  'terug te vinden in',
  'gelijk aan',
  'zelfde als',
  'hetzelfde als',
  'see',
  'see also',
  'refer to',
  'referred to',
  'please refer to',
  'as per',
  'as in',
  'as described in',
  'as stated in',
  'as set out in',
  'described in',
  'stated in',
  'recorded in',
  'according to',
  'in line with',
  'same as',
  'consult',
] as const;

/** Where a pointer sends the reader. */
export const SOURCES = [
  'dossier*',
  'casusdossier*',
  'gcos*',
  'eerder advies',
  'eerdere advies',
  'eerdere adviezen',
  'vorig advies',
  'vorige advies',
  'voorgaand advies',
  'voorgaande advies',
  'eerder',
  'hierboven',
  'hieronder',
  'plan van aanpak',
  'pva',
  'bijlage*',
  'verslag*',
  'rapport*',
  'notitie*',
  'casusoverleg*',
  'overleg',
  'systeem',
  'file',
  'case file',
  'record',
  'records',
  'attachment*',
  'appendix',
  'report*',
  'previous advice',
  'earlier advice',
  'above',
  'below',
  'system',
] as const;

/** Placeholders that defer the content, anywhere in a text. */
export const DEFERRALS = [
  'idem',
  'idem dito',
  'idemdito',
  'dito',
  'volgt',
  'volgt nog',
  'volgt later',
  'wordt nagezonden',
  'nagezonden',
  'wordt aangevuld',
  'wordt nog aangevuld',
  'nog aan te vullen',
  'nog aanvullen',
  'nog in te vullen',
  'nog te bepalen',
  'nader te bepalen',
  'wordt nader bepaald',
  'nog niet bekend',
  'nog onbekend',
  'ntb',
  'nnb',
  'nvt',
  'niet van toepassing',
  'pm',
  'zie boven',
  'zie hierboven',
  'zie onder',
  'zie hieronder',
  'zoals eerder',
  'zoals gebruikelijk',
  'ongewijzigd',
  'geen wijziging',
  'geen wijzigingen',
  'ditto',
  'to follow',
  'will follow',
  'to be determined',
  'to be confirmed',
  'to be completed',
  'tbd',
  'tba',
  'tbc',
  'todo',
  'as before',
  'as previously',
  'same as before',
  'unchanged',
  'no change',
  'no changes',
  'see above',
  'see below',
] as const;

/** Words that carry no goal or context of their own: what may surround a referral without making it substance. */
export const FILLER = [
  // Dutch
  'de',
  'het',
  'een',
  'in',
  'op',
  'voor',
  'van',
  'naar',
  'bij',
  'met',
  'en',
  'of',
  'ook',
  'is',
  'zijn',
  'wordt',
  'worden',
  'werd',
  'staat',
  'staan',
  'te',
  'als',
  'zoals',
  'dit',
  'dat',
  'deze',
  'die',
  'er',
  'hier',
  'daar',
  'nog',
  'later',
  'al',
  'we',
  'wij',
  'u',
  'hiervoor',
  'daarvoor',
  'graag',
  'aldaar',
  'genoemd',
  'genoemde',
  'beschreven',
  'vermeld',
  'opgenomen',
  'vastgelegd',
  'eerder',
  'eerdere',
  'vorig',
  'vorige',
  'laatste',
  'actuele',
  'huidige',
  'betreffende',
  'datum',
  'keer',
  'doel',
  'doelen',
  'doelstelling',
  'doelstellingen',
  'interventie',
  'context',
  'systeem',
  'omgeving',
  'thuissituatie',
  'situatie',
  'informatie',
  'info',
  'details',
  'meer',
  'nadere',
  'verdere',
  'alle',
  'advies',
  'zaak',
  'casus',
  'zsm',
  'vh',
  'zvh',
  'veiligheidshuis',
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
  'jan',
  'feb',
  'mrt',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'okt',
  'nov',
  'dec',
  // English
  'the',
  'an',
  'on',
  'for',
  'of',
  'to',
  'at',
  'with',
  'and',
  'or',
  'also',
  'are',
  'be',
  'will',
  'this',
  'that',
  'these',
  'there',
  'please',
  'its',
  'our',
  'goal',
  'goals',
  'aim',
  'objective',
  'objectives',
  'purpose',
  'intervention',
  'environment',
  'household',
  'information',
  'more',
  'further',
  'all',
  'advice',
  'case',
  'date',
  'dated',
  'time',
  'latest',
  'current',
  'previous',
  'earlier',
  'later',
  'january',
  'february',
  'march',
  'may',
  'june',
  'july',
  'august',
  'october',
] as const;

/** How many words may stand between a pointer and its source: "zie [het actuele] dossier". */
export const MAX_GAP = 3;

const WORD = '[\\p{L}\\p{N}]';

/** A phrase as a pattern: words separated by one space; a trailing `*` lets the last word run on. */
function phrase(p: string): string {
  const open = p.endsWith('*');
  const words = (open ? p.slice(0, -1) : p).split(' ').map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''));
  return words.join(' ') + (open ? `${WORD}*` : '');
}

/** Longest first, so that "zie ook" is tried before "zie" and "eerder advies" before "eerder". */
function alternatives(list: readonly string[]): string {
  return [...list]
    .sort((a, b) => b.length - a.length)
    .map(phrase)
    .join('|');
}

const EDGE_BEFORE = `(?<!${WORD})`;
const EDGE_AFTER = `(?!${WORD})`;

const REFERRAL = new RegExp(`${EDGE_BEFORE}(?:${alternatives(POINTERS)})(?: ${WORD}+){0,${MAX_GAP}}? (?:${alternatives(SOURCES)})${EDGE_AFTER}`, 'gu');
const DEFERRAL = new RegExp(`${EDGE_BEFORE}(?:${alternatives(DEFERRALS)})${EDGE_AFTER}`, 'gu');
// Beside a referral, a source named again is no substance either: "zie het verslag van het casusoverleg".
const SOURCE = new RegExp(`${EDGE_BEFORE}(?:${alternatives(SOURCES)})${EDGE_AFTER}`, 'gu');
const FILLER_WORDS: ReadonlySet<string> = new Set(FILLER);

/**
 * Whether a text, in text.ts's normal form, holds a referral or a deferral and nothing of substance beside it.
 * A word of substance has two letters or more and is no filler; digits alone (dates, case numbers) are none.
 */
export function refersElsewhere(norm: string): boolean {
  const rest = norm.replace(REFERRAL, ' ').replace(DEFERRAL, ' ');
  if (rest === norm) return false; // nothing points elsewhere
  for (const word of rest.replace(SOURCE, ' ').split(' ')) {
    if (/\p{L}.*\p{L}/u.test(word) && !FILLER_WORDS.has(word)) return false;
  }
  return true;
}

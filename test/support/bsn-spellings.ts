// BSNs in the spellings people type and systems paste, for the free-text tests. Synthetic only: 9999xxxxx (and
// 09999xxxx for the eight-digit spelling with the leading zero dropped), each passing the eleven-test.
import { isValidBsn } from '../../src/privacy/bsn.ts';

function synthetic(from: number, count: number): string[] {
  const out: string[] = [];
  for (let n = from; out.length < count; n++) if (isValidBsn(String(n).padStart(9, '0'))) out.push(String(n).padStart(9, '0'));
  return out;
}

/** 9999xxxxx. */
export const NINE_DIGIT_BSNS = synthetic(999_912_000, 60);
/** 09999xxxx: written with eight digits, the leading zero implied. */
export const LEADING_ZERO_BSNS = synthetic(99_990_000, 20);

const groups = (s: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let at = 0;
  for (const n of sizes) parts.push(s.slice(at, (at += n)));
  return parts.join(sep);
};
const script = (zero: number) => (s: string) => [...s].map((c) => String.fromCodePoint(zero + Number(c))).join('');

export interface Spelling {
  name: string;
  spell(bsn: string): string;
  /** Fits an id field (letters, digits, dots, dashes only). */
  idSafe: boolean;
}

export const SPELLINGS: Spelling[] = [
  { name: 'plain', spell: (b) => b, idSafe: true },
  { name: '3-3-3 spaces', spell: (b) => groups(b, [3, 3, 3], ' '), idSafe: false },
  { name: '3-3-3 dots', spell: (b) => groups(b, [3, 3, 3], '.'), idSafe: true },
  { name: '3-3-3 dashes', spell: (b) => groups(b, [3, 3, 3], '-'), idSafe: true },
  { name: '4-2-3 dots', spell: (b) => groups(b, [4, 2, 3], '.'), idSafe: true },
  { name: '2-2-2-3 spaces', spell: (b) => groups(b, [2, 2, 2, 3], ' '), idSafe: false },
  { name: 'no-break spaces', spell: (b) => groups(b, [3, 3, 3], '\u00a0'), idSafe: false },
  { name: 'fullwidth', spell: script(0xff10), idSafe: false },
  { name: 'Arabic-Indic', spell: script(0x0660), idSafe: false },
  { name: 'extended Arabic-Indic, grouped', spell: (b) => groups(script(0x06f0)(b), [3, 3, 3], ' '), idSafe: false },
  { name: 'Devanagari', spell: script(0x0966), idSafe: false },
];

/** The eight-digit spelling of a BSN that starts with 0. */
export const EIGHT_DIGITS: Spelling = { name: 'eight digits', spell: (b) => b.slice(1), idSafe: true };

export const LABELS = ['', 'BSN ', 'bsn: ', 'BSN:', 'burgerservicenummer ', 'Burgerservicenummer: '];

/** `text` with every digit in the scripts above read as ASCII and the separators between digits taken out: where
 * a BSN's digits, in any of these spellings, would still be found. Independent of the scanner under test. */
export function digitsJoined(text: string): string {
  const ascii = text.replace(/[\uff10-\uff19\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]/g, (c) => {
    const cp = c.codePointAt(0)!;
    const zero = [0xff10, 0x0660, 0x06f0, 0x0966].find((z) => cp >= z && cp <= z + 9)!;
    return String(cp - zero);
  });
  return ascii.replace(/(?<=\d)[ .\-\u00a0]{1,3}(?=\d)/g, '');
}

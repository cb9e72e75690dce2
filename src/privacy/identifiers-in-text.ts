// Finds identifiers written into free text: any number a person or system could mean as a BSN, and the record's
// own subject (name, date of birth). Pure: no database, no I/O. Every string of every record passes here, so the
// scan is one linear pass per string, every regular expression is compiled once at load, and a string without a
// digit costs one regex test (the date and BSN scans need a digit; only the name scan does not).
import { isValidBsn } from './bsn.ts';

export type IdentifierKind = 'bsn' | 'name' | 'date-of-birth';

/** One identifier in a string: where it sits (UTF-16 offsets, end exclusive). Never the value itself. */
export interface TextHit {
  kind: IdentifierKind;
  start: number;
  end: number;
  /** For a BSN: true when it is the record's own subject's BSN (which some recipients are granted). */
  own: boolean;
}

/** What replaces an identifier in the view of a recipient not granted it: fixed, no digits, no length hint. */
export const REDACTION_MARKER = '[verwijderd]';

const ANY_DIGIT = /\p{Nd}/u;
/** Returned for a string without a finding (most): shared, never written to. */
const NONE: readonly never[] = Object.freeze([]);

// The value of a decimal digit in any script (fullwidth, Arabic-Indic, Devanagari, ...): Unicode encodes each
// script's digits as a contiguous run of ten from 0, so a digit's value is its distance from the run's start.
// Built on first use of a non-ASCII digit (most records never need it): 128 KiB for planes 0 and 1, where every
// decimal digit sits.
let digitTable: Int8Array | undefined;
function buildDigitTable(): Int8Array {
  const table = new Int8Array(0x20000).fill(-1);
  const nd = /^\p{Nd}$/u;
  let runStart = -1;
  for (let cp = 0; cp < 0x20000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (nd.test(String.fromCodePoint(cp))) {
      if (runStart < 0) runStart = cp;
      table[cp] = (cp - runStart) % 10;
    } else runStart = -1;
  }
  return table;
}

/** The digit's value, or -1 for anything that is not a decimal digit. */
function digitValue(cp: number): number {
  if (cp >= 48 && cp <= 57) return cp - 48;
  if (cp < 0x80 || cp >= 0x20000) return -1;
  return (digitTable ??= buildDigitTable())[cp]!;
}

// What people put between groups of a number: spaces (also no-break and narrow), dots, hyphens and dashes, in
// ASCII and fullwidth. A slash is not among them: it joins the parts of a parketnummer or a date.
const SEPARATORS = new Set([0x20, 0xa0, 0x2007, 0x202f, 0x3000, 0x2e, 0x2d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xff0e, 0xff0d]);
/** At most this many separator characters between two groups (" - " is three). */
const MAX_SEPARATOR = 3;

// The groupings of nine digits a BSN is written in when it sits inside a longer run of numbers ("zaak 2024 123 456
// 782"): 123456782, 123 456 782, 1234.56.782, 12 34 56 782. Other nine-digit windows of a longer run are more often
// phone numbers ("+31 20 123 4567") than BSNs, and are not counted.
const BSN_SHAPES: readonly (readonly number[])[] = [[9], [3, 3, 3], [4, 2, 3], [2, 2, 2, 3]];

function hasBsnShape(groups: readonly Group[], from: number): number {
  for (const shape of BSN_SHAPES) {
    if (from + shape.length <= groups.length && shape.every((n, k) => groups[from + k]!.length === n)) return from + shape.length - 1;
  }
  return -1;
}

interface Group {
  start: number;
  end: number;
  /** How many digits. */
  length: number;
  /** All ASCII: the digits are the text itself, no mapping needed. */
  ascii: boolean;
}

/** A group's digits as ASCII, built only for a run that could be a BSN (most runs are dates, times, amounts). */
function digitsOf(text: string, g: Group): string {
  if (g.ascii) return text.slice(g.start, g.end);
  let out = '';
  for (let i = g.start; i < g.end;) {
    const cp = text.codePointAt(i)!;
    out += String(digitValue(cp));
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/** The numbers in `text` that pass the eleven-test as a BSN would, in any spelling, as 9 ASCII digits each. */
export function bsnsIn(text: string): readonly { start: number; end: number; bsn: string }[] {
  // Fewer characters than a BSN has digits, or no digit at all (most texts): nothing to read.
  if (text.length < 8 || !ANY_DIGIT.test(text)) return NONE;
  const out: { start: number; end: number; bsn: string }[] = [];
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (digitValue(cp) < 0) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const groups = readRun(text, i);
    judgeRun(text, groups, out);
    i = groups[groups.length - 1]!.end;
  }
  return out.length > 0 ? out : NONE;
}

/** A run: groups of digits with short separators between them, from `from` (a digit) on. */
function readRun(text: string, from: number): Group[] {
  const groups: Group[] = [];
  let i = from;
  for (;;) {
    const start = i;
    let length = 0;
    let ascii = true;
    while (i < text.length) {
      const cp = text.codePointAt(i)!;
      if (digitValue(cp) < 0) break;
      length++;
      if (cp > 57) ascii = false;
      i += cp > 0xffff ? 2 : 1;
    }
    groups.push({ start, end: i, length, ascii });
    // Another group follows only when 1 to 3 separators lead to a digit.
    let j = i;
    while (j < text.length && j - i < MAX_SEPARATOR && SEPARATORS.has(text.charCodeAt(j))) j++;
    if (j === i || j >= text.length || digitValue(text.codePointAt(j)!) < 0) return groups;
    i = j;
  }
}

const isAsciiDigit = (c: number) => c >= 48 && c <= 57;

/** Numbers whose surroundings say they are something else: a phone number (+31 ...), an amount (€ 12.345.678 or
 * 12.345.678,00), or a part of a slash-joined number (the parketnummer 10/123456-26, a date 03/07/2001). */
function isOtherNumber(text: string, start: number, end: number): boolean {
  let before = start - 1;
  while (before >= 0 && text.charCodeAt(before) === 0x20) before--;
  const prev = before >= 0 ? text.charCodeAt(before) : -1;
  if (prev === 0x2b /* + */ || prev === 0x20ac /* € */) return true;
  if (text.charCodeAt(start - 1) === 0x2f /* / */ && isAsciiDigit(text.charCodeAt(start - 2))) return true;
  const next = text.charCodeAt(end);
  if (next === 0x2f && isAsciiDigit(text.charCodeAt(end + 1))) return true;
  return next === 0x2c /* , */ && isAsciiDigit(text.charCodeAt(end + 1));
}

/** Eight digits written as a date: 03-07-2001, 3.7.2001, 2001-07-03 (never a BSN with its leading zero dropped). */
function isDateShaped(text: string, groups: readonly Group[]): boolean {
  if (groups.length !== 3) return false;
  const [a, b, c] = groups.map((g) => digitsOf(text, g)) as [string, string, string];
  const dm = (d: string, m: string) => d.length <= 2 && m.length <= 2 && +d >= 1 && +d <= 31 && +m >= 1 && +m <= 12;
  return (c.length === 4 && dm(a, b)) || (a.length === 4 && dm(c, b));
}

// A UUID (a case event's id, a message id pasted into a text) is 32 random hex digits: one in a hundred or so holds
// a digit run that passes the eleven-test by accident. Its digits are not a number anyone wrote, so a candidate
// inside one does not count. Tested only for a candidate, which is rare.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const isHexOrDash = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 0x2d;
function insideUuid(text: string, start: number, end: number): boolean {
  let a = start;
  let b = end;
  while (a > 0 && isHexOrDash(text.charCodeAt(a - 1))) a--;
  while (b < text.length && isHexOrDash(text.charCodeAt(b))) b++;
  return b - a >= 36 && UUID.test(text.slice(a, b));
}

function judgeRun(text: string, groups: readonly Group[], out: { start: number; end: number; bsn: string }[]): void {
  const first = groups[0]!;
  const last = groups[groups.length - 1]!;
  if (isOtherNumber(text, first.start, last.end)) return;
  let total = 0;
  for (const g of groups) total += g.length;
  if (total < 8) return;
  const digitsFrom = (a: number, b: number) =>
    groups
      .slice(a, b + 1)
      .map((g) => digitsOf(text, g))
      .join('');
  if (total === 8 || total === 9) {
    if (isDateShaped(text, groups)) return;
    const digits = digitsFrom(0, groups.length - 1);
    if (isValidBsn(digits) && !insideUuid(text, first.start, last.end)) out.push({ start: first.start, end: last.end, bsn: digits.padStart(9, '0') });
    return;
  }
  if (groups.length === 1) return;
  // A longer run: a BSN-shaped stretch of it (an id with a year before it, a BSN against a house number).
  for (let s = 0; s < groups.length; s++) {
    const e = hasBsnShape(groups, s);
    if (e < 0) continue;
    const digits = digitsFrom(s, e);
    if (isValidBsn(digits) && !insideUuid(text, groups[s]!.start, groups[e]!.end)) out.push({ start: groups[s]!.start, end: groups[e]!.end, bsn: digits });
  }
}

// Dates as people write them: 03-07-2001, 3-7-2001, 03/07/2001, 03.07.2001, 2001-07-03, 3 juli 2001,
// 3 jul. 2001, 3 July 2001. ASCII digits only: a birth date in another script is not a spelling people use here.
const DATE = /(?<![\p{L}\p{N}])(?:(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\s+(\p{L}{3,9})\.?\s+(\d{4}))(?!\p{N})/gu;
const MONTHS: Record<string, number> = {};
for (const [m, names] of [
  [1, 'jan januari january'],
  [2, 'feb februari february'],
  [3, 'mrt mar maa maart march'],
  [4, 'apr april'],
  [5, 'mei may'],
  [6, 'jun juni june'],
  [7, 'jul juli july'],
  [8, 'aug augustus august'],
  [9, 'sep sept september'],
  [10, 'okt oct oktober october'],
  [11, 'nov november'],
  [12, 'dec december'],
] as const) {
  for (const name of names.split(' ')) MONTHS[name] = m;
}

/** Where `isoDate` (yyyy-mm-dd) is written in `text`, in any of the spellings above. */
export function datesIn(text: string, isoDate: string): readonly { start: number; end: number }[] {
  // Every spelling holds the year's four digits: without them the expression need not run.
  if (!text.includes(isoDate.slice(0, 4))) return NONE;
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const out: { start: number; end: number }[] = [];
  for (const match of text.matchAll(DATE)) {
    const g = match;
    let day: number, month: number | undefined, year: number;
    if (g[1] !== undefined) [day, month, year] = [+g[1], +g[2]!, +g[3]!];
    else if (g[4] !== undefined) [year, month, day] = [+g[4], +g[5]!, +g[6]!];
    else [day, month, year] = [+g[7]!, MONTHS[g[8]!.toLowerCase()], +g[9]!];
    if (day === d && month === m && year === y) out.push({ start: match.index, end: match.index + match[0].length });
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The subject's surname as people write it, case-insensitive on word boundaries: "de Vries", "De Vries, J.",
 * "Vries, de". With a prefix, the surname alone does not count ("Berg" of "van den Berg" is also a word). One
 * expression per record, built only when a string needs the name check. */
export function namePattern(surname: string, prefix?: string): RegExp | undefined {
  const s = surname.trim();
  if (s.length < 2) return undefined;
  const sur = escapeRegExp(s).replace(/\s+/g, '\\s+');
  const pre = prefix?.trim() ? escapeRegExp(prefix.trim()).replace(/\s+/g, '\\s+') : undefined;
  const body = pre ? `${pre}\\s+${sur}|${sur},\\s*${pre}` : sur;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'giu');
}

export function matchesOf(pattern: RegExp, text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(pattern)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** `text` with each span replaced by the marker (spans may overlap; they are merged first). */
export function redactSpans(text: string, spans: readonly { start: number; end: number }[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.end <= at) continue;
    out += text.slice(at, Math.max(at, s.start)) + (s.start >= at ? REDACTION_MARKER : '');
    at = s.end;
  }
  return out + text.slice(at);
}

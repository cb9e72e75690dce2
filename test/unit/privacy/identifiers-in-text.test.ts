// The free-text scanner per spelling: what must count as a BSN (or as the subject's birth date or name) and what
// must not. Every BSN here is synthetic (9999xxxxx, passing the eleven-test) or the domain brief's 123456782.
import { describe, expect, it } from 'vitest';
import { isValidBsn } from '../../../src/privacy/bsn.ts';
import { bsnsIn, datesIn, matchesOf, namePattern, redactSpans, REDACTION_MARKER } from '../../../src/privacy/identifiers-in-text.ts';
import { syntheticBsn } from '../../support/fixtures.ts';

const B = syntheticBsn(3);
const g = (s: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let at = 0;
  for (const n of sizes) parts.push(s.slice(at, (at += n)));
  return parts.join(sep);
};
const toScript = (s: string, zero: number) => [...s].map((c) => String.fromCodePoint(zero + Number(c))).join('');
// An 8-digit BSN: a synthetic one would start with 9; one with a leading zero is made by the eleven-test's search.
const EIGHT = (() => {
  for (let n = 10_000_000; ; n++) if (isValidBsn(String(n)) && isValidBsn(`0${n}`)) return String(n);
})();

describe('bsnsIn: spellings that count', () => {
  it.each([
    ['bare', `BSN ${B}`],
    ['label with colon', `bsn:${B}`],
    ['burgerservicenummer', `burgerservicenummer ${B}.`],
    ['no label', `zie ${B} hierboven`],
    ['3-3-3 with spaces', g(B, [3, 3, 3], ' ')],
    ['3-3-3 with dots', g(B, [3, 3, 3], '.')],
    ['3-3-3 with dashes', g(B, [3, 3, 3], '-')],
    ['4-2-3 with dots', g(B, [4, 2, 3], '.')],
    ['2-2-2-3 with spaces', g(B, [2, 2, 2, 3], ' ')],
    ['spaced dashes', g(B, [3, 3, 3], ' - ')],
    ['no-break spaces', g(B, [3, 3, 3], '\u00a0')],
    ['en dashes', g(B, [3, 3, 3], '\u2013')],
    ['inside a word', `dossierBSN${B}x`],
    ['inside an id', `ZVH-${B}-A`],
    ['after a year in an id', `ZVH-2026-${B}`],
    ['grouped after a year', `zaak 2026 ${g(B, [3, 3, 3], ' ')}`],
    ['fullwidth digits', toScript(B, 0xff10)],
    ['Arabic-Indic digits', toScript(B, 0x0660)],
    ['extended Arabic-Indic digits grouped', g(toScript(B, 0x06f0), [3, 3, 3], ' ')],
    ['Devanagari digits', toScript(B, 0x0966)],
    ['mathematical bold digits (outside the BMP)', toScript(B, 0x1d7ce)],
    ['8 digits, implied leading zero', `bsn ${EIGHT}`],
    ['8 digits grouped 4-4', g(EIGHT, [4, 4], ' ')],
    ['the domain brief example', 'BSN 123456782'],
  ])('%s', (_, text) => {
    const found = bsnsIn(text);
    expect(found).toHaveLength(1);
    expect(isValidBsn(found[0]!.bsn)).toBe(true);
    expect(REDACTION_MARKER).not.toMatch(/\d/);
    // The span covers the number: replacing it leaves no digit of it.
    expect(redactSpans(text, found)).not.toContain(found[0]!.bsn.slice(-3));
  });
});

describe('bsnsIn: numbers that do not count', () => {
  it.each([
    ['fails the eleven-test', '123456789'],
    ['all zeros', '000000000'],
    ['ten digits', `${B}0`],
    ['twenty-digit OIN', '00000001823288444000'],
    ['mobile number', '06-12345678'],
    ['mobile number with spaces', '06 1234 5678'],
    ['international mobile', '+31 6 12345678'],
    ['international mobile, nine digits after the country code', `+31 ${B}`],
    ['088 number', '088-1234567'],
    ['landline grouped', '+31 88 123 4567'],
    ['parketnummer', `10/${g(B, [6, 3], '-')}`],
    ['parketnummer of the schema', '10/123456-26'],
    ['postcode', '1234 AB'],
    ['amount', '€ 1.250,00'],
    ['large amount', `€ ${g(B.slice(1), [2, 3, 3], '.')}`],
    ['amount with cents', `${g(B.slice(1), [2, 3, 3], '.')},00`],
    ['IBAN', 'NL91 ABNA 0417 1643 00'],
    ['article', 'art. 300 Sr'],
    ['time', 'om 14.30 uur'],
    ['date, day first', '03-07-2001'],
    ['date, year first', '2001-07-03'],
    ['date with dots', '3.7.2001'],
    ['eight digits grouped as a date', '10-12-2026'],
    ['seven digits', '1234567'],
    ['a BSN split across a slash', `${B.slice(0, 4)}/${B.slice(4)}`],
  ])('%s', (_, text) => {
    expect(bsnsIn(text)).toEqual([]);
  });

  it('does not count digits of a UUID, which pass the eleven-test by accident about once in a hundred', () => {
    let flagged = 0;
    for (let i = 0; i < 2000; i++) flagged += bsnsIn(`melding ${crypto.randomUUID()} verwerkt`).length;
    expect(flagged).toBe(0);
    expect(bsnsIn(`3f8a2c1e-5b7d-4e2a-9c6f-1a2b3c4d5e6f ${B}`)).toHaveLength(1);
  });

  it('finds every BSN of a text, in order', () => {
    const other = syntheticBsn(4);
    expect(bsnsIn(`eerst ${B}, dan ${g(other, [3, 3, 3], '.')}`).map((f) => f.bsn)).toEqual([B, other]);
  });
});

describe('datesIn: the subject birth date as people write it', () => {
  it.each([
    ['03-07-2001', true],
    ['3-7-2001', true],
    ['03/07/2001', true],
    ['3/7/2001', true],
    ['03.07.2001', true],
    ['2001-07-03', true],
    ['geboren 3 juli 2001 te Utrecht', true],
    ['3 jul. 2001', true],
    ['3 Jul 2001', true],
    ['3 July 2001', true],
    ['3 JULI 2001', true],
    ['03-07-2002', false],
    ['07-03-2001', false], // the 7th of March
    ['2001', false],
    ['3 juli', false],
    ['13-07-2001', false],
    ['103-07-2001', false],
  ])('%s -> %s', (text, counts) => {
    expect(datesIn(text, '2001-07-03').length > 0).toBe(counts);
  });
});

describe('namePattern: the surname, with its prefix, on word boundaries', () => {
  const deVries = namePattern('Vries', 'de')!;
  const jansen = namePattern('Jansen')!;
  it.each([
    [deVries, 'gesprek met de Vries', true],
    [deVries, 'De Vries, J. is bereikbaar', true],
    [deVries, 'DE VRIES', true],
    [deVries, 'Vries, de', true],
    [deVries, 'de  Vries', true],
    [deVries, 'Vries', false], // without its prefix: also a word
    [deVries, 'de Vriesland', false],
    [deVries, 'de vriesman', false],
    [jansen, 'meneer Jansen heeft', true],
    [jansen, 'jansen', true],
    [jansen, 'Jansens', false],
    [jansen, 'Pietjansen', false],
  ])('%s in "%s" -> %s', (pattern, text, counts) => {
    expect(matchesOf(pattern, text).length > 0).toBe(counts);
  });

  it('does not take a one-letter surname', () => {
    expect(namePattern('X')).toBeUndefined();
  });
});

describe('redactSpans', () => {
  it('replaces each span, merging overlaps', () => {
    expect(
      redactSpans('ab 123 cd 456', [
        { start: 3, end: 6 },
        { start: 10, end: 13 },
      ]),
    ).toBe(`ab ${REDACTION_MARKER} cd ${REDACTION_MARKER}`);
    expect(
      redactSpans('abcdef', [
        { start: 1, end: 4 },
        { start: 2, end: 5 },
      ]),
    ).toBe(`a${REDACTION_MARKER}f`);
  });
});

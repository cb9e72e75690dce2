// The verdict on identifiers in free text (issue 18): a BSN in any string, and the record's own subject (name,
// date of birth) in a string that reaches a recipient whose grant does not include that identifier unchanged.
// Part of the verdict (verdict.ts), so every door and the offline validator judge alike. The policy says per kind
// whether such a record is refused or the identifier is replaced by a marker in the views of the recipients not
// granted it; identifier fields (ids, case references, contact names) are refused either way, because they reach
// message keys, receipts and the known-person lookup's answer whoever receives the record.
import { fieldError, type FieldError } from '../errors.ts';
import type { Audience, Disclosure, ExchangePlan } from '../exchange/plan.ts';
import { copyJson } from '../exchange/views.ts';
import { identifierMessage, type IdentifierCode } from '../privacy/identifier-messages.ts';
import { bsnsIn, datesIn, matchesOf, namePattern, redactSpans } from '../privacy/identifiers-in-text.ts';
import type { Language } from '../quality/language.ts';
import type { RecordKind } from './kinds/kind.ts';

type Span = { start: number; end: number };

/** An identifier to replace by the marker in one grant's view (codes and pointers only leave the bridge). */
export interface Redaction {
  pointer: string;
  segments: readonly string[];
  code: IdentifierCode;
  grant: string;
  spans: readonly Span[];
}

export interface IdentifierVerdict {
  errors: FieldError[];
  redactions: Redaction[];
}

/** What a receipt and the processing log say about redactions: which pointer, why, for which recipients. */
export interface RedactionNote {
  pointer: string;
  code: IdentifierCode;
  recipients: string[];
}

const segmentsOf = (pointer: string): readonly string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
const toPointer = (segments: readonly string[]) => segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
const sameSegments = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);
const startsWith = (a: readonly string[], prefix: readonly string[]) => a.length > prefix.length && prefix.every((s, i) => s === a[i]);

/** A kind's pointers as segments, worked out once per kind rather than per record. */
interface KindPaths {
  bsn: readonly string[];
  name: readonly string[];
  surname: readonly string[];
  dateOfBirth: readonly string[];
  identifiers: readonly (readonly string[])[];
}
const pathsOf = new WeakMap<object, KindPaths>();
function kindPaths<T>(kind: RecordKind<T>): KindPaths {
  let p = pathsOf.get(kind);
  if (!p) {
    const name = segmentsOf(kind.subjectNamePointer);
    p = {
      bsn: segmentsOf(kind.bsnPointer),
      name,
      surname: [...name, 'surname'],
      dateOfBirth: segmentsOf(kind.dateOfBirthPointer),
      identifiers: [...kind.identifierPointers].map(segmentsOf),
    };
    pathsOf.set(kind, p);
  }
  return p;
}

function at(record: unknown, segments: readonly string[]): unknown {
  let v = record;
  for (const s of segments) v = (v as Record<string, unknown> | undefined)?.[s];
  return v;
}

// Shared by every record without a finding (most): frozen, so no caller can add to it.
const NOTHING: IdentifierVerdict = Object.freeze({
  errors: Object.freeze([]) as unknown as FieldError[],
  redactions: Object.freeze([]) as unknown as Redaction[],
});

const NO_SPANS: readonly Span[] = Object.freeze([]);

/** Per plan and kind: the grants, whatever their condition, not given the name or the birth date unchanged. */
const lackingOf = new WeakMap<ExchangePlan, Map<string, { name: readonly Audience[]; dateOfBirth: readonly Audience[] }>>();
function lackingGrants(plan: ExchangePlan, kind: string, paths: KindPaths): { name: readonly Audience[]; dateOfBirth: readonly Audience[] } {
  let perKind = lackingOf.get(plan);
  if (!perKind) lackingOf.set(plan, (perKind = new Map<string, { name: readonly Audience[]; dateOfBirth: readonly Audience[] }>()));
  let lacking = perKind.get(kind);
  if (!lacking) {
    const grants = plan.grants(kind);
    lacking = { name: grants.filter((a) => !a.plain(paths.surname)), dateOfBirth: grants.filter((a) => !a.plain(paths.dateOfBirth)) };
    perKind.set(kind, lacking);
  }
  return lacking;
}

/** Judges every string of a record that passed its schema. */
export function judgeIdentifiers<T>(kind: RecordKind<T>, record: T, plan: ExchangePlan, language: Language): IdentifierVerdict {
  const paths = kindPaths(kind);
  const mode = plan.identifiersInText(kind.name);
  const subjectBsn = kind.subjectBsn(record);
  const name = at(record, paths.name) as { surname?: unknown; surnamePrefix?: unknown } | undefined;
  const dateOfBirth = at(record, paths.dateOfBirth);
  // Whether a string needs the name or birth-date search is told from every grant of the kind, whatever its
  // condition (worked out once per plan); the grants that apply to this record are sought only for a finding.
  const lacking = lackingGrants(plan, kind.name, paths);
  let applying: readonly Audience[] | undefined;
  const audience = () => (applying ??= plan.audience(kind.name, record));
  // The name's expression is built per record, so only once a string holds the surname at all: the plain
  // lower-case search first (the surname's own letters, without the prefix), the expression for the boundaries.
  const surname = typeof name?.surname === 'string' && name.surname.trim().length >= 2 ? name.surname.trim().toLowerCase() : undefined;
  let pattern: RegExp | undefined;
  const nameSpansIn = (text: string) => {
    if (surname === undefined || !text.toLowerCase().includes(surname)) return NO_SPANS;
    pattern ??= namePattern(name!.surname as string, typeof name!.surnamePrefix === 'string' ? name!.surnamePrefix : undefined);
    return pattern ? matchesOf(pattern, text) : NO_SPANS;
  };
  let verdict: IdentifierVerdict | undefined;
  const out = () => (verdict ??= { errors: [], redactions: [] });
  const segments: string[] = [];
  const receives = (a: Audience) => a.plain(segments);

  const judge = (text: string) => {
    // The subject's own identifier fields are what the grants are about; the scan is for copies elsewhere.
    if (sameSegments(segments, paths.bsn) || sameSegments(segments, paths.dateOfBirth) || startsWith(segments, paths.name)) return;
    const identifierField = paths.identifiers.some((p) => sameSegments(p, segments));
    const bsns = bsnsIn(text);
    const nameSpans = identifierField || lacking.name.some(receives) ? nameSpansIn(text) : NO_SPANS;
    const dateSpans = typeof dateOfBirth === 'string' && (identifierField || lacking.dateOfBirth.some(receives)) ? datesIn(text, dateOfBirth) : NO_SPANS;
    if (bsns.length === 0 && nameSpans.length === 0 && dateSpans.length === 0) return;
    const pointer = toPointer(segments);
    if (identifierField) {
      out().errors.push(fieldError('PERSONAL_DATA_IN_IDENTIFIER', pointer, identifierMessage('PERSONAL_DATA_IN_IDENTIFIER', language), `kinds.${kind.name}`));
      return;
    }
    // Another person's BSN is granted to nobody; the subject's own to the grants that pass its BSN field unchanged.
    const foreign = bsns.filter((b) => b.bsn !== subjectBsn).map(({ start, end }) => ({ start, end }));
    const own = bsns.filter((b) => b.bsn === subjectBsn).map(({ start, end }) => ({ start, end }));
    // Who, of the grants that apply, would read it although not granted that identifier unchanged.
    const readers = audience().filter(receives);
    const without = (identifier: readonly string[]) => readers.filter((a) => !a.plain(identifier));
    const found: { code: IdentifierCode; spans: readonly Span[]; exposed: readonly Audience[]; refuseAlways: boolean }[] = [
      { code: 'BSN_IN_TEXT', spans: foreign, exposed: readers, refuseAlways: true },
      { code: 'BSN_IN_TEXT', spans: own, exposed: without(paths.bsn), refuseAlways: false },
      { code: 'SUBJECT_NAME_IN_TEXT', spans: nameSpans, exposed: without(paths.surname), refuseAlways: false },
      { code: 'SUBJECT_BIRTH_DATE_IN_TEXT', spans: dateSpans, exposed: without(paths.dateOfBirth), refuseAlways: false },
    ];
    const refused = new Set<IdentifierCode>();
    for (const f of found) {
      if (f.spans.length === 0) continue;
      if (mode === 'refuse') {
        // A BSN of someone else is refused even where nobody reads it: the bridge would hold it all the same.
        if ((f.refuseAlways || f.exposed.length > 0) && !refused.has(f.code)) {
          refused.add(f.code);
          out().errors.push(fieldError(f.code, pointer, identifierMessage(f.code, language), `kinds.${kind.name}.identifiersInText`));
        }
        continue;
      }
      for (const a of f.exposed) out().redactions.push({ pointer, segments: [...segments], code: f.code, grant: a.grant, spans: f.spans });
    }
  };

  // Walked in place: no array of entries per object, a pointer only for a string with a finding.
  const walk = (value: unknown): void => {
    if (typeof value === 'string') return judge(value);
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        segments.push(String(i));
        walk(value[i]);
        segments.pop();
      }
      return;
    }
    for (const key of Object.keys(value)) {
      segments.push(key);
      walk((value as Record<string, unknown>)[key]);
      segments.pop();
    }
  };
  walk(record);
  return verdict ?? NOTHING;
}

/** Per grant with redactions, a copy of the record with the identifiers replaced by the marker. */
export function redactedRecords(record: unknown, redactions: readonly Redaction[]): Map<string, unknown> | undefined {
  if (redactions.length === 0) return undefined;
  const byGrant = new Map<string, Map<string, { segments: readonly string[]; spans: Span[] }>>();
  for (const r of redactions) {
    let places = byGrant.get(r.grant);
    if (!places) byGrant.set(r.grant, (places = new Map<string, { segments: readonly string[]; spans: Span[] }>()));
    const place = places.get(r.pointer);
    if (place) place.spans.push(...r.spans);
    else places.set(r.pointer, { segments: r.segments, spans: [...r.spans] });
  }
  const out = new Map<string, unknown>();
  for (const [grant, places] of byGrant) {
    const copy = copyJson(record);
    for (const { segments, spans } of places.values()) {
      const parent = at(copy, segments.slice(0, -1)) as Record<string, unknown>;
      const key = segments[segments.length - 1]!;
      parent[key] = redactSpans(parent[key] as string, spans);
    }
    out.set(grant, copy);
  }
  return out;
}

/** Which pointers were redacted, why, and for which recipients (a regional grant's regions by name). */
export function redactionNotes(redactions: readonly Redaction[], disclosures: readonly Disclosure[]): RedactionNote[] {
  const notes = new Map<string, RedactionNote>();
  for (const r of redactions) {
    const id = `${r.code} ${r.pointer}`;
    let note = notes.get(id);
    if (!note) notes.set(id, (note = { pointer: r.pointer, code: r.code, recipients: [] }));
    for (const d of disclosures) if (d.grant === r.grant && !note.recipients.includes(d.recipient)) note.recipients.push(d.recipient);
  }
  return [...notes.values()].filter((n) => n.recipients.length > 0).map((n) => ({ ...n, recipients: n.recipients.sort() }));
}

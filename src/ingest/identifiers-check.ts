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

/** Judges every string of a record that passed its schema. */
export function judgeIdentifiers<T>(kind: RecordKind<T>, record: T, plan: ExchangePlan, language: Language): IdentifierVerdict {
  const paths = kindPaths(kind);
  const mode = plan.identifiersInText(kind.name);
  const rule = `kinds.${kind.name}.identifiersInText`;
  const subjectBsn = kind.subjectBsn(record);
  const name = at(record, paths.name) as { surname?: unknown; surnamePrefix?: unknown } | undefined;
  const dateOfBirth = at(record, paths.dateOfBirth);
  const audience: readonly Audience[] = plan.audience(kind.name, record);
  // Who would read each identifier although the grant does not give it to them unchanged.
  const withoutBsn = audience.filter((a) => !a.plain(paths.bsn));
  const withoutName = audience.filter((a) => !a.plain(paths.surname));
  const withoutBirthDate = audience.filter((a) => !a.plain(paths.dateOfBirth));
  let pattern: RegExp | null | undefined;
  const namePat = () =>
    pattern === undefined
      ? (pattern =
          typeof name?.surname === 'string'
            ? (namePattern(name.surname, typeof name.surnamePrefix === 'string' ? name.surnamePrefix : undefined) ?? null)
            : null)
      : pattern;
  let verdict: IdentifierVerdict | undefined;
  const out = () => (verdict ??= { errors: [], redactions: [] });
  const segments: string[] = [];
  const receives = (a: Audience) => a.plain(segments);

  const judge = (text: string) => {
    // The subject's own identifier fields are what the grants are about; the scan is for copies elsewhere.
    if (sameSegments(segments, paths.bsn) || sameSegments(segments, paths.dateOfBirth) || startsWith(segments, paths.name)) return;
    const identifierField = paths.identifiers.some((p) => sameSegments(p, segments));
    const bsns = bsnsIn(text);
    const nameSpans = (identifierField || withoutName.some(receives)) && namePat() ? matchesOf(namePat()!, text) : [];
    const dateSpans = typeof dateOfBirth === 'string' && (identifierField || withoutBirthDate.some(receives)) ? datesIn(text, dateOfBirth) : [];
    if (bsns.length === 0 && nameSpans.length === 0 && dateSpans.length === 0) return;
    const pointer = toPointer(segments);
    if (identifierField) {
      out().errors.push(fieldError('PERSONAL_DATA_IN_IDENTIFIER', pointer, identifierMessage('PERSONAL_DATA_IN_IDENTIFIER', language), `kinds.${kind.name}`));
      return;
    }
    // Another person's BSN is granted to nobody; the subject's own to the grants that pass its BSN field unchanged.
    const foreign = bsns.filter((b) => b.bsn !== subjectBsn).map(({ start, end }) => ({ start, end }));
    const own = bsns.filter((b) => b.bsn === subjectBsn).map(({ start, end }) => ({ start, end }));
    const found: { code: IdentifierCode; spans: Span[]; exposed: readonly Audience[]; refuseAlways: boolean }[] = [
      { code: 'BSN_IN_TEXT', spans: foreign, exposed: audience.filter(receives), refuseAlways: true },
      { code: 'BSN_IN_TEXT', spans: own, exposed: withoutBsn.filter(receives), refuseAlways: false },
      { code: 'SUBJECT_NAME_IN_TEXT', spans: nameSpans, exposed: withoutName.filter(receives), refuseAlways: false },
      { code: 'SUBJECT_BIRTH_DATE_IN_TEXT', spans: dateSpans, exposed: withoutBirthDate.filter(receives), refuseAlways: false },
    ];
    const refused = new Set<IdentifierCode>();
    for (const f of found) {
      if (f.spans.length === 0) continue;
      if (mode === 'refuse') {
        // A BSN of someone else is refused even where nobody reads it: the bridge would hold it all the same.
        if ((f.refuseAlways || f.exposed.length > 0) && !refused.has(f.code)) {
          refused.add(f.code);
          out().errors.push(fieldError(f.code, pointer, identifierMessage(f.code, language), rule));
        }
        continue;
      }
      for (const a of f.exposed) out().redactions.push({ pointer, segments: [...segments], code: f.code, grant: a.grant, spans: f.spans });
    }
  };

  const walk = (value: unknown) => {
    if (typeof value === 'string') return judge(value);
    if (value === null || typeof value !== 'object') return;
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, v] of entries) {
      segments.push(key);
      walk(v);
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

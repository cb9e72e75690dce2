// Issue 18, item 1: a BSN written into any string of an advice or a case event, in any spelling, never reaches a
// recipient whose grant does not include it. Generated: the record kind, the policy's identifiersInText, the BSN
// (the subject's own or someone else's, all synthetic), its spelling and label, the string it goes into and how it
// sits there. Checked on what the spine would write: the outbox payloads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/errors.ts';
import { createPolicyPlan } from '../../../src/exchange/policy-plan.ts';
import type { ExchangePolicy, IdentifiersInText } from '../../../src/exchange/policy.ts';
import { KINDS, kindSchemas } from '../../../src/ingest/kinds/index.ts';
import type { RecordKind } from '../../../src/ingest/kinds/kind.ts';
import { prepareRecord, type IngestDeps, type PreparedRecord } from '../../../src/ingest/prepare.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { createPseudonymiser } from '../../../src/privacy/pseudonym.ts';
import { REDACTION_MARKER } from '../../../src/privacy/identifiers-in-text.ts';
import { digitsJoined, EIGHT_DIGITS, LABELS, LEADING_ZERO_BSNS, NINE_DIGIT_BSNS, SPELLINGS, type Spelling } from '../../support/bsn-spellings.ts';
import { validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { defaultPolicy } from '../../support/policy.ts';

type Json = Record<string, unknown>;

const pseudonymiser = createPseudonymiser('unit-test-pseudonym-secret-0123456789', 'k1');
function depsFor(mode: IdentifiersInText): IngestDeps {
  const policy: ExchangePolicy = structuredClone(defaultPolicy());
  for (const k of Object.values(policy.kinds)) k.identifiersInText = mode;
  return {
    pool: undefined as never,
    metrics: createMetrics(),
    bridgeOin: '00000009999999999000',
    pseudonymiser,
    plan: createPolicyPlan(policy, kindSchemas(), 'unit.', pseudonymiser),
  };
}
const DEPS = { refuse: depsFor('refuse'), redact: depsFor('redact') };

/** A string field of a record, and whether it is an identifier field (refused whatever the policy says). */
interface Target {
  pointer: string;
  identifier: boolean;
}
const ADVICE_TARGETS: Target[] = [
  { pointer: '/goal', identifier: false },
  { pointer: '/context/system', identifier: false },
  { pointer: '/context/environment', identifier: false },
  { pointer: '/recommendation/explanation', identifier: false },
  { pointer: '/domesticViolence/incidents/1/summary', identifier: false },
  { pointer: '/issuer/name', identifier: false },
  { pointer: '/contactPoint/name', identifier: true },
  { pointer: '/adviceId', identifier: true },
  { pointer: '/gcosCaseReference', identifier: true },
];
const EVENT_TARGETS: Target[] = [
  { pointer: '/decision/explanation', identifier: false },
  { pointer: '/decision/conditions/0/detail', identifier: false },
  { pointer: '/source/system', identifier: true },
  { pointer: '/decision/relatedAdvice/adviceId', identifier: true },
];

function setAt(record: Json, pointer: string, f: (old: string) => string): void {
  const keys = pointer.split('/').slice(1);
  let node = record as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  node[last] = f(typeof node[last] === 'string' ? node[last] : '');
}
function getAt(record: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], record);
}

const bsnAndSpelling = fc.oneof(
  fc.tuple(fc.constantFrom(...NINE_DIGIT_BSNS), fc.constantFrom(...SPELLINGS)),
  fc.tuple(fc.constantFrom(...LEADING_ZERO_BSNS), fc.constantFrom<Spelling>(EIGHT_DIGITS, ...SPELLINGS)),
);

const scenario = fc.record({
  kind: fc.constantFrom('advice', 'case-event'),
  mode: fc.constantFrom<IdentifiersInText>('refuse', 'redact'),
  // Halt receives the goal with the BSN pseudonymised; the other advice goes to the OM, probation and victim support.
  halt: fc.boolean(),
  own: fc.boolean(),
  inserted: bsnAndSpelling,
  other: fc.constantFrom(...NINE_DIGIT_BSNS),
  label: fc.constantFrom(...LABELS),
  // How it sits in the text: a word of its own, glued into a longer word, or at the start of the text.
  placing: fc.constantFrom('word', 'glued', 'start'),
  target: fc.nat(),
});

describe('identifiers in free text (property)', () => {
  it('never lets a BSN reach a recipient not granted it: refused with its pointer, or redacted in that view', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const [bsn, spelling] = s.inserted;
        const subjectBsn = s.own ? bsn : s.other === bsn ? NINE_DIGIT_BSNS.find((b) => b !== bsn)! : s.other;
        let record: Json;
        let targets: Target[];
        if (s.kind === 'advice') {
          record = validAdvice({ bsn: subjectBsn });
          if (s.halt) (record as { recommendation: unknown }).recommendation = { disposal: 'halt', conditions: [] };
          targets = ADVICE_TARGETS;
        } else {
          record = validCaseEvent('decision-taken', {
            bsn: subjectBsn,
            details: {
              kind: 'voorwaardelijk-sepot',
              conditions: [{ code: 'contactverbod', detail: 'Geen contact met de aangever.' }],
              veiligheidshuisApproachNeeded: true,
              explanation: 'Afgedaan met een voorwaardelijk sepot.',
              relatedAdvice: { issuerOin: '00000001823288444000', adviceId: 'VH-2026-000123', adviceVersion: 1 },
            },
          });
          targets = EVENT_TARGETS;
        }
        const target = targets[s.target % targets.length]!;
        // An identifier field takes letters, digits, dots and dashes only: the BSN goes in as such a spelling, after
        // a letter (written against other digits, "2026-12345678", eight digits are not told from a phone number).
        const spell = target.identifier && !spelling.idSafe ? SPELLINGS[0]! : spelling;
        const written = spell.spell(bsn);
        const label = target.identifier ? '' : s.label;
        const piece = s.placing === 'glued' ? `ref${label.trim()}${written}x` : `${label}${written}`;
        setAt(record, target.pointer, (old) =>
          target.identifier
            ? `${old.slice(0, 20).replace(/[^A-Za-z]+$/, '')}-${piece.replace(/[^A-Za-z0-9.-]/g, '')}`
            : s.placing === 'start'
              ? `${piece} ${old}`
              : `${old} ${piece}.`,
        );

        let prepared: PreparedRecord | undefined;
        try {
          prepared = prepareRecord(DEPS[s.mode], (s.kind === 'advice' ? KINDS.advice : KINDS['case-event']) as RecordKind, { door: 'rest', body: record });
        } catch (err) {
          if (!(err instanceof BridgeError)) throw err;
          const at = (err.errors ?? []).filter((e) => e.pointer === target.pointer).map((e) => e.code);
          expect(at, `${err.code}: ${JSON.stringify(err.errors)}`).toContainEqual(target.identifier ? 'PERSONAL_DATA_IN_IDENTIFIER' : 'BSN_IN_TEXT');
          // A refusal never echoes the value.
          expect(digitsJoined(JSON.stringify(err.errors))).not.toContain(bsn.slice(1));
          return;
        }
        // Accepted: only possible for free text, and for someone else's BSN only in redact mode.
        expect(target.identifier).toBe(false);
        if (!s.own) expect(s.mode).toBe('redact');
        const policy = DEPS[s.mode].plan.policy.kinds[s.kind]!;
        for (const row of prepared.outbox) {
          const payload = JSON.parse(row.payload) as { record: unknown };
          const grant = policy.recipients[row.recipient] ?? policy.recipients['veiligheidshuizen']!;
          const granted = s.own && (grant.fields['subject.bsn'] === 'keep' || grant.fields['subject'] === 'keep');
          const seen = getAt(payload.record, target.pointer);
          if (granted) {
            // A granted recipient's view is the text as sent.
            if (seen !== undefined) expect(seen).toBe(getAt(record, target.pointer));
          } else {
            expect(digitsJoined(row.payload), `${row.recipient} ${spell.name}`).not.toContain(bsn.slice(1));
            if (seen !== undefined) expect(seen).toContain(REDACTION_MARKER);
          }
        }
        const redacted = prepared.receipt.redacted ?? [];
        const notGranted = prepared.outbox.filter((r) => {
          const g = policy.recipients[r.recipient] ?? policy.recipients['veiligheidshuizen']!;
          const seen = getAt((JSON.parse(r.payload) as { record: unknown }).record, target.pointer);
          return seen !== undefined && !(s.own && (g.fields['subject.bsn'] === 'keep' || g.fields['subject'] === 'keep'));
        });
        if (notGranted.length > 0) {
          expect(redacted).toContainEqual({ pointer: target.pointer, code: 'BSN_IN_TEXT', recipients: notGranted.map((r) => r.recipient).sort() });
        }
        expect(digitsJoined(JSON.stringify(prepared.receipt))).not.toContain(bsn.slice(1));
      }),
      { numRuns: 400 },
    );
  });
});

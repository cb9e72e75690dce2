// The processing-log entries an ingest writes: "received" and one "disclosed" per recipient for an accepted
// record; one "refused" for a refusal, holding codes and pointers only (no personal data, no subject).
import { maskPointerDigits, type BridgeError } from '../errors.ts';
import type { Disclosure } from '../exchange/plan.ts';
import type { LogEntry } from '../processing-log/entry.ts';
import type { RedactionNote } from './identifiers-check.ts';

export interface StepContext {
  traceId: string;
  transactionId: string | null;
  actor: string;
  kind: string;
  processingActivity: string;
  startedAt: Date;
}

export function acceptedEntries(
  ctx: StepContext,
  a: {
    recordId: string;
    subjectId: string;
    legalBasis: string;
    purpose: string;
    policyVersion: string;
    disclosures: readonly Disclosure[];
    /** Identifiers replaced in some views: logged as codes and pointers, on the receipt and on each disclosure. */
    redacted?: readonly RedactionNote[];
  },
): LogEntry[] {
  const base = {
    status: 'ok' as const,
    traceId: ctx.traceId,
    transactionId: ctx.transactionId,
    actor: ctx.actor,
    subjectId: a.subjectId,
    recordId: a.recordId,
    recordKind: ctx.kind,
    legalBasis: a.legalBasis,
    purpose: a.purpose,
    processingActivity: ctx.processingActivity,
    startedAt: ctx.startedAt,
    // Set again just before the write, when the step ends.
    endedAt: ctx.startedAt,
  };
  const redacted = a.redacted ?? [];
  const redactedFor = (recipient: string) => redacted.filter((r) => r.recipients.includes(recipient)).map(({ code, pointer }) => ({ code, pointer }));
  return [
    {
      ...base,
      operation: 'received',
      recipient: null,
      fields: null,
      detail: { policyVersion: a.policyVersion, recipients: a.disclosures.length, ...(redacted.length > 0 && { redacted: redacted.map((r) => ({ ...r })) }) },
    },
    ...a.disclosures.map((d): LogEntry => ({
      ...base,
      operation: 'disclosed',
      recipient: d.recipient,
      fields: d.fields,
      detail: { policyVersion: a.policyVersion, topic: d.topic, ...(redactedFor(d.recipient).length > 0 && { redacted: redactedFor(d.recipient) }) },
    })),
  ];
}

const CODE = /^[a-z][a-z0-9.-]{2,99}$/;

/** The stated legal basis and purpose are kept only when they are well-formed codes, never free text. */
export function refusalEntry(ctx: StepContext, err: BridgeError, stated: { legalBasis?: unknown; purpose?: unknown }, endedAt: Date): LogEntry {
  const code = (v: unknown) => (typeof v === 'string' && CODE.test(v) ? v : null);
  return {
    operation: 'refused',
    status: 'refused',
    traceId: ctx.traceId,
    transactionId: ctx.transactionId,
    actor: ctx.actor,
    subjectId: null,
    recordId: null,
    recordKind: ctx.kind,
    recipient: null,
    fields: null,
    legalBasis: code(stated.legalBasis),
    purpose: code(stated.purpose),
    processingActivity: ctx.processingActivity,
    startedAt: ctx.startedAt,
    endedAt,
    detail: {
      code: err.code,
      errors: (err.errors ?? []).slice(0, 50).map((e) => ({ code: e.code, pointer: maskPointerDigits(e.pointer), ...(e.rule ? { rule: e.rule } : {}) })),
    },
  };
}

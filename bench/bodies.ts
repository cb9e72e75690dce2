// Request bodies: the example advice with today's dates, a fresh advice id per request and one of a few
// thousand synthetic subjects (BSNs 9999xxxxx that pass the eleven-test: never a real person's).
import { isValidBsn } from '../src/privacy/bsn.ts';
import { validAdvice } from '../test/support/fixtures.ts';

type Json = Record<string, unknown>;

// The same numbers, in the same order, as the tests' syntheticBsn(0..4999), listed in one pass (syntheticBsn
// scans from the start on every call).
const SUBJECTS: string[] = [];
for (let c = 999_900_000; c <= 999_999_999 && SUBJECTS.length < 5_000; c++) if (isValidBsn(String(c))) SUBJECTS.push(String(c));

// The tests' valid advice (today's dates, an incident history), made once: only the id and subject vary.
const TEMPLATE = validAdvice();

let counter = 0;

/** A new valid advice: unique id, a subject drawn from the synthetic set. */
export function nextAdvice(runId: string): Json {
  const n = counter++;
  const a = structuredClone(TEMPLATE) as Json & { subject: Json };
  a['adviceId'] = `BENCH-${runId}-${n}`;
  a.subject['bsn'] = SUBJECTS[n % SUBJECTS.length];
  return a;
}

export const adviceBody = (runId: string): string => JSON.stringify(nextAdvice(runId));
export const batchBody = (runId: string, size: number): string => JSON.stringify({ advices: Array.from({ length: size }, () => nextAdvice(runId)) });

// Request bodies: the example advice with today's dates, a fresh advice id per request and one of a few
// thousand synthetic subjects (BSNs 9999xxxxx that pass the eleven-test: never a real person's).
import { readFileSync } from 'node:fs';
import { addYears, todayInAmsterdam } from '../src/ingest/dates.ts';
import { isValidBsn } from '../src/privacy/bsn.ts';

type Json = Record<string, unknown>;
const EXAMPLE = JSON.parse(readFileSync(new URL('../schemas/examples/advice.valid.json', import.meta.url), 'utf8')) as Json;

const SUBJECTS: string[] = [];
for (let c = 999_900_000; c <= 999_999_999 && SUBJECTS.length < 5_000; c++) if (isValidBsn(String(c))) SUBJECTS.push(String(c));

function daysFromToday(days: number): string {
  const d = new Date(`${todayInAmsterdam()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const TEMPLATE = ((): Json => {
  const a = structuredClone(EXAMPLE) as Json & { domesticViolence: { incidents: Json[] } };
  const adviceDate = daysFromToday(-3);
  a['adviceDate'] = adviceDate;
  a['validUntil'] = addYears(adviceDate, 1) > daysFromToday(180) ? daysFromToday(180) : addYears(adviceDate, 1);
  a.domesticViolence.incidents = [
    { date: daysFromToday(-120), kind: 'psychisch-geweld', subjectRole: 'pleger' },
    { date: daysFromToday(-5), kind: 'fysiek-geweld', subjectRole: 'pleger', summary: 'Melding politie na ruzie thuis.' },
  ];
  return a;
})();

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

// Test data. Every BSN passes the eleven-test but starts with 9999: clearly synthetic, never a real person's.
import { readFileSync } from 'node:fs';
import { isValidBsn } from '../../src/privacy/bsn.ts';
import { addYears, todayInAmsterdam } from '../../src/ingest/dates.ts';

/** The n-th synthetic BSN (n from 0): 9999xxxxx, passing the eleven-test. */
export function syntheticBsn(n: number): string {
  let found = -1;
  for (let candidate = 999_900_000; candidate <= 999_999_999; candidate++) {
    const s = String(candidate);
    if (isValidBsn(s) && ++found === n) return s;
  }
  throw new Error(`no synthetic BSN number ${n}`);
}

export function daysFromToday(days: number): string {
  const d = new Date(`${todayInAmsterdam()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const EXAMPLE_ADVICE = JSON.parse(readFileSync(new URL('../../schemas/examples/advice.valid.json', import.meta.url), 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;

/** A valid advice with dates relative to today, so the fixture does not age out of the rules. */
export function validAdvice(overrides: { adviceId?: string; version?: number; bsn?: string; issuerOin?: string; goal?: string } = {}): Json {
  const a = structuredClone(EXAMPLE_ADVICE) as Json & { subject: Json; issuer: Json; domesticViolence: { incidents: Json[] } };
  const adviceDate = daysFromToday(-3);
  a['adviceId'] = overrides.adviceId ?? a['adviceId'];
  a['version'] = overrides.version ?? 1;
  a['adviceDate'] = adviceDate;
  a['validUntil'] = addYears(adviceDate, 1) > daysFromToday(180) ? daysFromToday(180) : addYears(adviceDate, 1);
  a.subject['bsn'] = overrides.bsn ?? syntheticBsn(0);
  if (overrides.issuerOin) a.issuer['oin'] = overrides.issuerOin;
  if (overrides.goal) a['goal'] = overrides.goal;
  a.domesticViolence.incidents = [
    { date: daysFromToday(-120), kind: 'psychisch-geweld', subjectRole: 'pleger' },
    { date: daysFromToday(-5), kind: 'fysiek-geweld', subjectRole: 'pleger', summary: 'Melding politie na ruzie thuis.' },
  ];
  return a;
}

/** The recipient that every advice reaches under the default exchange policy: the OM's ZSM table. */
export const OM_ZSM = 'om-zsm';

/** Names and birth dates in the fixtures, for tests that search the logs for personal data. */
export const FIXTURE_PERSONAL_DATA = ['Synthetisch', 'Testpersoon', '1990-01-01'];

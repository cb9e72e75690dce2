// Test data. Every BSN passes the eleven-test but starts with 9999: clearly synthetic, never a real person's.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isValidBsn } from '../../src/privacy/bsn.ts';
import { addYears, todayInAmsterdam } from '../../src/records/dates.ts';

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

export const EXAMPLE_CASE_EVENT = JSON.parse(readFileSync(new URL('../../schemas/examples/case-event.valid.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

/** The OIN of the ZSM system in the case-event fixtures (synthetic). */
export const ZSM_OIN = '00000001003214345000';

type CaseEventType = 'suspect-entered-zsm' | 'advice-requested' | 'advice-consulted' | 'decision-taken' | 'case-closed';

/** A valid ZSM case event of a type, happened an hour ago, about a synthetic person in a municipality. */
export function validCaseEvent(
  eventType: CaseEventType,
  o: { eventId?: string; bsn?: string; municipalityCode?: string; zsmCaseReference?: string; details?: Json } = {},
): Json {
  const e = structuredClone(EXAMPLE_CASE_EVENT) as Json & { subject: Json };
  delete e['decision'];
  const occurredAt = new Date(Date.now() - 3_600_000);
  e['eventId'] = o.eventId ?? randomUUID();
  e['eventType'] = eventType;
  e['occurredAt'] = occurredAt.toISOString();
  e['zsmCaseReference'] = o.zsmCaseReference ?? '10/123456-26';
  e.subject['bsn'] = o.bsn ?? syntheticBsn(0);
  e.subject['municipalityCode'] = o.municipalityCode ?? 'GM0599';
  e['purpose'] = eventType === 'decision-taken' ? 'zsm-afdoeningsterugkoppeling' : 'zsm-casusinformatie';
  const details: Record<CaseEventType, [string, Json]> = {
    'suspect-entered-zsm': ['entry', { detained: true }],
    'advice-requested': ['adviceRequest', { deadline: new Date(occurredAt.getTime() + 6 * 3_600_000).toISOString(), question: 'Is er een lopende aanpak?' }],
    'advice-consulted': ['consultation', { adviceId: 'VH-HOLLANDS-MIDDEN-2026-000123', adviceVersion: 1, issuerOin: '00000001823288444000' }],
    'decision-taken': ['decision', { kind: 'voorwaardelijk-sepot', conditions: [{ code: 'contactverbod' }], veiligheidshuisApproachNeeded: true }],
    'case-closed': ['closure', { outcome: 'afgedaan' }],
  };
  const [field, value] = details[eventType];
  e[field] = o.details ?? value;
  return e;
}

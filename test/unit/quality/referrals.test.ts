// Goals and context that point elsewhere ("zie het dossier in GCOS voor het doel", "conform eerder advies", "volgt")
// state nothing; real texts that merely mention the dossier, or use "volgt" as a verb, still pass. The phrase
// lists are src/quality/referrals.ts; the rules are src/quality/rules/goal.ts and context.ts.
import { describe, expect, it } from 'vitest';
import type { Advice } from '../../../src/records/advice.ts';
import { context } from '../../../src/quality/rules/context.ts';
import { goal } from '../../../src/quality/rules/goal.ts';
import { emptiness, pointsElsewhere, withoutLabel } from '../../../src/quality/text.ts';

const goalCodes = (text: string) => goal.check({ goal: text } as Advice, '2026-01-01').map((f) => f.code);
const contextCodes = (system: string) =>
  context.check({ context: { system, environment: 'Woont in een rustige wijk, werkt drie dagen per week.' } } as Advice, '2026-01-01').map((f) => f.code);

// Each must not pass: the whole text is a placeholder (GOAL_MISSING, as before) or its substance is a referral or a
// deferral (GOAL_REFERS_ELSEWHERE).
const COUNTS: [string, 'GOAL_MISSING' | 'GOAL_REFERS_ELSEWHERE'][] = [
  ['zie dossier', 'GOAL_MISSING'],
  ['Zie  dossier!!', 'GOAL_MISSING'],
  ['Doel: zie dossier.', 'GOAL_MISSING'],
  ['DOEL:   Zie Dossier', 'GOAL_MISSING'],
  ['Doel - n.v.t.', 'GOAL_MISSING'],
  ['Doel:', 'GOAL_MISSING'],
  ['idem', 'GOAL_MISSING'],
  ['Idem.', 'GOAL_MISSING'],
  ['Doel: idem dito', 'GOAL_MISSING'],
  ['volgt', 'GOAL_MISSING'],
  ['Volgt!', 'GOAL_MISSING'],
  ['p.m.', 'GOAL_MISSING'],
  ['Goal: TBD', 'GOAL_MISSING'],
  ['zie hierboven', 'GOAL_MISSING'],
  ['zie het dossier in GCOS voor het doel', 'GOAL_REFERS_ELSEWHERE'],
  ['Zie het verslag van het casusoverleg van 3 februari 2025 voor het doel van de interventie.', 'GOAL_REFERS_ELSEWHERE'],
  ['conform eerder advies', 'GOAL_REFERS_ELSEWHERE'],
  ['CONFORM EERDER ADVIES.', 'GOAL_REFERS_ELSEWHERE'],
  ['Doel: conform het vorige advies van 12 maart 2025.', 'GOAL_REFERS_ELSEWHERE'],
  ['Het doel volgt nog.', 'GOAL_REFERS_ELSEWHERE'],
  ['Het doel wordt nagezonden...', 'GOAL_REFERS_ELSEWHERE'],
  ['Voor het doel verwijzen wij naar het plan van aanpak in GCOS.', 'GOAL_REFERS_ELSEWHERE'],
  ['Het doel is beschreven in het GCOS-dossier (zie bijlage).', 'GOAL_REFERS_ELSEWHERE'],
  ['Doel van de interventie: zie het actuele casusdossier!!', 'GOAL_MISSING'],
  ['Het doel staat in het dossier', 'GOAL_REFERS_ELSEWHERE'],
  ['Doel is gelijk aan het eerdere advies', 'GOAL_REFERS_ELSEWHERE'],
  ['Doelstelling: zoals eerder, ongewijzigd.', 'GOAL_REFERS_ELSEWHERE'],
  ['Het doel: nog te bepalen', 'GOAL_REFERS_ELSEWHERE'],
  ['Doel?? Idem als vorige keer', 'GOAL_REFERS_ELSEWHERE'],
  ['See the case file in GCOS for the goal of the intervention.', 'GOAL_REFERS_ELSEWHERE'],
  ['Goal: as per previous advice', 'GOAL_REFERS_ELSEWHERE'],
  ['The goal is described in the attached report.', 'GOAL_REFERS_ELSEWHERE'],
  ['Please refer to the GCOS record.', 'GOAL_REFERS_ELSEWHERE'],
  ['Goal: to follow.', 'GOAL_REFERS_ELSEWHERE'],
  ['Same as before.', 'GOAL_REFERS_ELSEWHERE'],
  ['the GOAL will follow... TO BE DETERMINED', 'GOAL_REFERS_ELSEWHERE'],
];

// Each is a real goal of three words or more: no finding at all.
const PASSES = [
  'Doel: terugdringen van recidive door begeleiding; afspraken staan ook in het dossier',
  'Hij volgt een behandeling bij de GGZ om terugval te voorkomen.',
  'Hij volgt therapie.',
  'Volgt hij de behandeling niet, dan volgt een melding aan de officier; doel is abstinentie',
  'Het doel volgt uit het plan van aanpak: een contactverbod met het slachtoffer en behandeling van de agressie',
  'Stabiliseren van de thuissituatie zodat de kinderen thuis kunnen blijven',
  'Zie erop toe dat hij de behandeling bij de verslavingszorg afmaakt',
  'Zie toe op naleving van het contactverbod en het gebiedsverbod',
  'Overlast voorkomen bij de buren in de Idemastraat en de Volgtlaan',
  'Terugdringen van recidive; het dossier wordt door de reclassering bijgehouden',
  'Zorgen dat het GCOS-dossier niet meer nodig is: een vaste woonplek en schuldhulp',
  'Schuldhulpverlening opstarten, conform de afspraken met de gemeente',
  'Begeleiding naar werk volgens het plan van aanpak van de gemeente Utrecht',
  'Contact met het slachtoffer voorkomen; eerder advies (2023) had hetzelfde doel en werkte',
  'Doel: abstinentie van alcohol, met begeleiding zoals eerder afgesproken',
  'Verminderen van overlast in de wijk, zoals beschreven door de wijkagent',
  'Goal: reduce reoffending through supervision; see the file for the signed agreements',
  'Reduce the risk to the children by supervised contact; unchanged since the last meeting',
  'Hij volgt geen dagbesteding meer; doel is een vaste dagstructuur met werk',
];

describe('goals that point elsewhere', () => {
  it('has a table of at least 25 phrases that count and 15 that do not', () => {
    expect(COUNTS.length).toBeGreaterThanOrEqual(25);
    expect(PASSES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(COUNTS)('%j does not pass: %s', (text, code) => {
    expect(goalCodes(text)).toEqual([code]);
  });

  it.each(PASSES)('%j passes', (text) => {
    expect(goalCodes(text)).toEqual([]);
    expect(pointsElsewhere(text)).toBe(false);
  });

  it('refuses a goal that only refers elsewhere with its own code', () => {
    expect(goal.check({ goal: 'Zie het dossier in GCOS voor het doel.' } as Advice, '2026-01-01')).toEqual([
      { code: 'GOAL_REFERS_ELSEWHERE', pointer: '/goal' },
    ]);
  });

  it('strips a leading label before looking for a placeholder', () => {
    expect(withoutLabel('Doel: zie dossier.').trim()).toBe('zie dossier.');
    expect(withoutLabel('Het doel van de interventie - n.v.t.').trim()).toBe('n.v.t.');
    expect(withoutLabel('Doelgroep: jongeren')).toBe('Doelgroep: jongeren');
    expect(emptiness('Goal:')).toBe('empty');
    expect(emptiness('Systeem: geen')).toBe('placeholder');
  });
});

describe('context that points elsewhere', () => {
  it.each([
    ['Zie het verslag van het casusoverleg voor de thuissituatie', 'CONTEXT_REFERS_ELSEWHERE'],
    ['Systeem: conform eerder advies', 'CONTEXT_REFERS_ELSEWHERE'],
    ['Omgeving en thuissituatie: volgt nog.', 'CONTEXT_REFERS_ELSEWHERE'],
    ['The household: see the GCOS file for all details.', 'CONTEXT_REFERS_ELSEWHERE'],
    ['Systeem: zie dossier', 'CONTEXT_MISSING'],
  ])('%j does not pass: %s', (text, code) => {
    expect(contextCodes(text)).toEqual([code]);
  });

  it.each(['Woont met partner en twee kinderen; de wijkagent kent het gezin uit het dossier', 'Moeder volgt een opvoedcursus, de kinderen gaan naar school'])(
    '%j passes',
    (text) => {
      expect(contextCodes(text)).toEqual([]);
    },
  );
});

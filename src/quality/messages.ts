// The text of every quality finding in English and Dutch, with its figures filled in. A message never repeats
// text from the advice: findings travel to ZSM and into logs and dashboards as they are.
import type { FindingArgs, QualityCode } from './criteria.ts';
import type { Language } from './language.ts';

type Template = (a: FindingArgs) => string;

const MESSAGES: Record<QualityCode, Record<Language, Template>> = {
  DATE_IN_FUTURE: {
    en: () => 'The advice date lies in the future.',
    nl: () => 'De adviesdatum ligt in de toekomst.',
  },
  ADVICE_OUTDATED: {
    en: () => 'The advice is more than one year old; an advice must be current.',
    nl: () => 'Het advies is ouder dan een jaar; een advies moet actueel zijn.',
  },
  DATE_ORDER: {
    en: () => 'Valid-until lies before the advice date.',
    nl: () => 'De geldigheidsdatum ligt vóór de adviesdatum.',
  },
  VALIDITY_TOO_LONG: {
    en: () => 'Valid-until lies more than one year after the advice date.',
    nl: () => 'De geldigheidsdatum ligt meer dan een jaar na de adviesdatum.',
  },
  ADVICE_EXPIRED: {
    en: () => 'Valid-until has passed: the advice may no longer be used.',
    nl: () => 'De geldigheidsdatum is verstreken: het advies mag niet meer worden gebruikt.',
  },
  GOAL_MISSING: {
    en: () => 'The goal is empty or a placeholder (such as "n.v.t." or "zie dossier"); state the goal of the intervention.',
    nl: () => 'Het doel is leeg of een opvulling (zoals "n.v.t." of "zie dossier"); beschrijf het doel van de interventie.',
  },
  GOAL_TOO_BRIEF: {
    en: (a) => `The goal has ${a['words']} word(s); use at least ${a['minimum']} to make the goal of the intervention clear.`,
    nl: (a) => `Het doel telt ${a['words']} woord(en); gebruik er minstens ${a['minimum']} om het doel van de interventie duidelijk te maken.`,
  },
  GOAL_REFERS_ELSEWHERE: {
    en: () =>
      'The goal refers elsewhere or is put off (such as "zie het dossier", "conform eerder advies" or "volgt") instead of being stated; the officer reads only this advice, so state the goal of the intervention here.',
    nl: () =>
      'Het doel verwijst naar elders of wordt uitgesteld (zoals "zie het dossier", "conform eerder advies" of "volgt") in plaats van genoemd; de officier leest alleen dit advies, dus beschrijf hier het doel van de interventie.',
  },
  CONTEXT_MISSING: {
    en: () => "The context is empty or a placeholder; describe the impact on the person's system (household, children) and environment.",
    nl: () => 'De context is leeg of een opvulling; beschrijf de impact op het systeem (huishouden, kinderen) en de omgeving van de persoon.',
  },
  CONTEXT_TOO_BRIEF: {
    en: (a) => `The context has ${a['words']} word(s); use at least ${a['minimum']} to describe the impact.`,
    nl: (a) => `De context telt ${a['words']} woord(en); gebruik er minstens ${a['minimum']} om de impact te beschrijven.`,
  },
  CONTEXT_REFERS_ELSEWHERE: {
    en: () =>
      'The context refers elsewhere or is put off (such as "zie het verslag" or "volgt") instead of being described; the officer reads only this advice, so describe the impact on the system and environment here.',
    nl: () =>
      'De context verwijst naar elders of wordt uitgesteld (zoals "zie het verslag" of "volgt") in plaats van beschreven; de officier leest alleen dit advies, dus beschrijf hier de impact op het systeem en de omgeving.',
  },
  LEGAL_CONDITIONS_MISSING: {
    en: (a) => `The disposal "${a['disposal']}" needs at least one condition, named as a code; the explanation does not count.`,
    nl: (a) => `De afdoening "${a['disposal']}" vraagt om minstens één voorwaarde, als code; de toelichting telt niet mee.`,
  },
  LEGAL_CONDITION_NOT_FOR_DISPOSAL: {
    en: (a) => `The condition "${a['condition']}" cannot be attached to the disposal "${a['disposal']}".`,
    nl: (a) => `De voorwaarde "${a['condition']}" kan niet aan de afdoening "${a['disposal']}" worden verbonden.`,
  },
  LEGAL_CONDITION_REPEATED: {
    en: (a) => `The condition "${a['condition']}" is given more than once.`,
    nl: (a) => `De voorwaarde "${a['condition']}" staat er meer dan eens in.`,
  },
  CONCISE_FIELD_LONG: {
    en: (a) => `This text has ${a['length']} characters; keep it under ${a['limit']}.`,
    nl: (a) => `Deze tekst telt ${a['length']} tekens; houd hem onder de ${a['limit']}.`,
  },
  CONCISE_FIELD_TOO_LONG: {
    en: (a) => `This text has ${a['length']} characters; at most ${a['limit']} are accepted.`,
    nl: (a) => `Deze tekst telt ${a['length']} tekens; er worden er hoogstens ${a['limit']} aanvaard.`,
  },
  CONCISE_NARRATIVE_LONG: {
    en: (a) => `The texts of the advice have ${a['length']} characters together; keep them under ${a['limit']}.`,
    nl: (a) => `De teksten van het advies tellen samen ${a['length']} tekens; houd ze onder de ${a['limit']}.`,
  },
  CONCISE_NARRATIVE_TOO_LONG: {
    en: (a) => `The texts of the advice have ${a['length']} characters together; at most ${a['limit']} are accepted.`,
    nl: (a) => `De teksten van het advies tellen samen ${a['length']} tekens; er worden er hoogstens ${a['limit']} aanvaard.`,
  },
  DV_HISTORY_MISSING: {
    en: () => "Domestic violence is flagged but the incident history is missing; list each incident with date, kind and the person's role.",
    nl: () => 'Huiselijk geweld is aangevinkt maar de incidentgeschiedenis ontbreekt; noem elk incident met datum, soort en de rol van de persoon.',
  },
  DV_HISTORY_WITHOUT_FLAG: {
    en: () => 'Incidents are listed but domestic violence is not flagged; check the flag.',
    nl: () => 'Er staan incidenten vermeld maar huiselijk geweld is niet aangevinkt; controleer de vlag.',
  },
};

export function messageFor(code: QualityCode, language: Language, args: FindingArgs = {}): string {
  return MESSAGES[code][language](args);
}

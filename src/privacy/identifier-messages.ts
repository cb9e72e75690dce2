// The texts of the free-text identifier codes in English and Dutch. A text names what was found and where it may
// not go, never the value: a refusal's body goes back to the sender and into logs.
import type { FieldCode } from '../errors.ts';
import type { Language } from '../quality/language.ts';

export type IdentifierCode = Extract<FieldCode, 'BSN_IN_TEXT' | 'SUBJECT_NAME_IN_TEXT' | 'SUBJECT_BIRTH_DATE_IN_TEXT' | 'PERSONAL_DATA_IN_IDENTIFIER'>;

const MESSAGES: Record<IdentifierCode, Record<Language, string>> = {
  BSN_IN_TEXT: {
    en: "holds a number that passes the eleven-test as a BSN, where a recipient not granted it would read it; leave it out of the text (the subject's BSN has a field of its own)",
    nl: 'bevat een nummer dat de elfproef doorstaat zoals een BSN, waar een ontvanger die het niet mag zien het zou lezen; laat het weg uit de tekst (het BSN van de betrokkene heeft een eigen veld)',
  },
  SUBJECT_NAME_IN_TEXT: {
    en: 'holds the subject\'s name, where a recipient not granted it would read it; write "betrokkene" instead',
    nl: 'bevat de naam van de betrokkene, waar een ontvanger die deze niet mag zien het zou lezen; schrijf "betrokkene"',
  },
  SUBJECT_BIRTH_DATE_IN_TEXT: {
    en: "holds the subject's date of birth, where a recipient not granted it would read it; leave it out of the text",
    nl: 'bevat de geboortedatum van de betrokkene, waar een ontvanger die deze niet mag zien het zou lezen; laat deze weg uit de tekst',
  },
  PERSONAL_DATA_IN_IDENTIFIER: {
    en: "is an identifier and holds a BSN or the subject's name or date of birth; identifiers reach message keys, receipts and lookups and may never carry them",
    nl: 'is een kenmerk en bevat een BSN of de naam of geboortedatum van de betrokkene; kenmerken komen in berichtsleutels, ontvangstbewijzen en opvragingen en mogen die nooit bevatten',
  },
};

export function identifierMessage(code: IdentifierCode, language: Language): string {
  return MESSAGES[code][language];
}

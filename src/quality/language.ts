// The languages findings are told in, and the choice by Accept-Language (RFC 9110 section 12.5.4). Codes never
// depend on the language; only the message does.
export const LANGUAGES = ['en', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Without an Accept-Language the texts are English, as all other texts of the API. */
export const DEFAULT_LANGUAGE: Language = 'en';
/** Messages to ZSM are in Dutch: the language of the officer who reads them. */
export const MESSAGE_LANGUAGE: Language = 'nl';

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** The supported language the client prefers most: "nl-NL,nl;q=0.9,en;q=0.8" -> nl; "fr" -> the default. */
export function negotiateLanguage(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { language: Language; q: number } | undefined;
  for (const part of text.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    const primary = range.trim().split('-')[0] ?? '';
    const language = primary === '*' ? DEFAULT_LANGUAGE : primary;
    // The first of equal weights wins: clients list their preference first.
    if (isLanguage(language) && (!best || q > best.q)) best = { language, q };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}

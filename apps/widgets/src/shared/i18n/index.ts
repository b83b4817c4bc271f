import { da, type Messages } from "./da.ts";
import { en } from "./en.ts";

export type { Messages };

/** Languages the panels speak. */
export const Lang = { da: "da", en: "en" } as const;
export type Lang = (typeof Lang)[keyof typeof Lang];

const catalogs: Record<Lang, Messages> = { da, en };

/** The language for a `lang` attribute value: `en` (or `en-…`) gives English, anything else Danish. */
export function resolveLang(value: string | null | undefined): Lang {
  return value?.toLowerCase().startsWith("en") ? Lang.en : Lang.da;
}

/** The texts for a language. */
export function messagesFor(lang: Lang): Messages {
  return catalogs[lang];
}

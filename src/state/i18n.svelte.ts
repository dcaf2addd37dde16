// The page's language: the browser's preference until the user picks one (then remembered).
import { LANGUAGES, preferredLanguage, translate, type Language, type MessageKey, type MessageParams } from './messages.ts';

const STORAGE_KEY = 'slipway.language';

export class I18n {
  lang = $state<Language>('en');

  constructor() {
    const saved = readSaved();
    this.lang = saved ?? preferredLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
    document.documentElement.lang = this.lang;
  }

  readonly languages = LANGUAGES;

  /** Reads `lang`, so markup using it re-renders when the language changes. */
  t = (key: MessageKey, params?: MessageParams): string => translate(this.lang, key, params);

  set(lang: Language): void {
    this.lang = lang;
    document.documentElement.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Storage may be off (private mode): the choice then lasts for this page only.
    }
  }
}

function readSaved(): Language | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.find((l) => l === saved) ?? null;
  } catch {
    return null;
  }
}

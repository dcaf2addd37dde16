// Typed context: the language is read by every component, so it is provided once by App.
import { createContext } from 'svelte';
import type { I18n } from '../state/i18n.svelte.ts';

export const [useI18n, provideI18n] = createContext<I18n>();

import { describe, expect, it } from 'vitest';
import { preferredLanguage, translate } from './messages.ts';

describe('translate', () => {
  it.each([
    ['en', 'status.containers', { running: 1, total: 3 }, 'containers: 1 running / 3 total'],
    ['ru', 'status.containers', { running: 1, total: 3 }, 'контейнеры: 1 запущено / 3 всего'],
    ['en', 'terminal.tab', { n: 2 }, 'Shell 2'],
    ['en', 'terminal.tab', {}, 'Shell {n}'],
    ['ru', 'action.stop', {}, 'Остановить'],
  ] as const)('%s %s', (lang, key, params, expected) => {
    expect(translate(lang, key, params)).toBe(expected);
  });
});

describe('preferredLanguage', () => {
  it.each([
    [['ru-RU', 'en-US'], 'ru'],
    [['de-DE', 'RU'], 'ru'],
    [['en-GB'], 'en'],
    [['fr'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (preferences, expected) => {
    expect(preferredLanguage(preferences)).toBe(expected);
  });
});

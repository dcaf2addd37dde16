import { expect, it } from 'vitest';
import { shellQuote } from './shell-quote.ts';

it.each([
  ['web', 'web'],
  ['localhost:5000/app:v1.2', 'localhost:5000/app:v1.2'],
  ['a b', `'a b'`],
  [`it's`, `'it'\\''s'`],
  ['', `''`],
])('shellQuote(%j) = %s', (word, quoted) => {
  expect(shellQuote(word)).toBe(quoted);
});

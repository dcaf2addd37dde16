import { expect, it } from 'vitest';
import { textOf } from './files.svelte.ts';

it.each([
  [new TextEncoder().encode('FROM busybox\n'), 'FROM busybox\n'],
  [new TextEncoder().encode('привет'), 'привет'],
  [new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00]), null],
  [new Uint8Array([0xff, 0xfe, 0x41]), null],
])('textOf %#', (bytes, text) => {
  expect(textOf(bytes)).toBe(text);
});

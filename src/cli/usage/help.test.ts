import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCommand } from './registry.ts';
import { renderCommandHelp, renderGroupHelp, renderRootHelp } from './render-help.ts';

const goldenDir = fileURLToPath(new URL('../../../test/golden/help/', import.meta.url));

function render(page: string, width: number): string {
  if (page === 'docker') return renderRootHelp(width);
  const found = findCommand(page.split('-'));
  if (!found) throw new Error(`no command for ${page}`);
  if (found.kind === 'group') return renderGroupHelp(found.group);
  return renderCommandHelp(found, width);
}

function pages(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.txt') && statSync(join(dir, f)).isFile());
}

describe('help pages match Docker v28.2.2 byte for byte', () => {
  for (const file of pages(goldenDir)) {
    it(file, () => {
      expect(render(file.replace(/\.txt$/, ''), 80)).toBe(readFileSync(join(goldenDir, file), 'utf8'));
    });
  }
  for (const width of [120, 60, 30]) {
    for (const file of pages(join(goldenDir, `w${width}`))) {
      it(`w${width}/${file}`, () => {
        expect(render(file.replace(/\.txt$/, ''), width)).toBe(readFileSync(join(goldenDir, `w${width}`, file), 'utf8'));
      });
    }
  }
});

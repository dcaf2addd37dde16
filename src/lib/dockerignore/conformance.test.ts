// The .dockerignore conformance corpus (test/conformance/dockerignore, a copy of the shared one, transcribed
// from moby/patternmatcher, moby/moby, moby/buildkit and tonistiigi/fsutil) must pass in full.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../platform/node.ts';
import { dockerfileAccess, ignoreFileCandidates, selectContext } from './context.ts';
import { readIgnoreFile } from './ignorefile.ts';
import { compilePattern, PatternMatcher } from './matcher.ts';

interface MatchCase {
  id: string;
  patterns: string[];
  path: string;
  match: boolean;
  error: boolean;
  error_at?: 'New' | 'match';
  error_message?: string;
}

interface ContextCase {
  id: string;
  files: string[];
  dockerignore: string | null;
  exclude_patterns?: string[];
  ignore_files?: Record<string, string>;
  build_args?: string[];
  dockerfile_from_stdin?: boolean;
  expect_present: string[];
  expect_absent: string[];
  expect_error?: string;
  expect_walk?: string[];
  expect_listing?: { command: string; stdout: string };
  derived_excluded_files?: string[];
}

interface Corpus {
  counts: Record<string, number>;
  readall_cases: { input: string | null; expected: string[] }[];
  new_cases: { origin: string; patterns: string[]; error: boolean; error_message?: string; pattern_count?: number; exclusions?: boolean }[];
  match_cases: MatchCase[];
  compile_cases: { cases: { pattern: string; matchType: string }[] };
  context_cases: ContextCase[];
}

const corpusFile = join(projectRoot, 'test', 'conformance', 'dockerignore', 'dockerignore-cases.json');
if (!existsSync(corpusFile)) {
  throw new Error(`dockerignore conformance corpus missing: ${corpusFile} (test/conformance is part of the repository)`);
}
const corpus = JSON.parse(readFileSync(corpusFile, 'utf8')) as Corpus;

test('the corpus has every case the README counts', () => {
  expect(corpus.readall_cases).toHaveLength(corpus.counts.readall_cases!);
  expect(corpus.new_cases).toHaveLength(corpus.counts.new_cases!);
  expect(corpus.match_cases).toHaveLength(138);
  expect(corpus.context_cases).toHaveLength(corpus.counts.context_cases!);
});

describe('readall_cases', () => {
  test.each(corpus.readall_cases.map((c, i) => [i, c] as const))('#%i', (_, c) => {
    expect(readIgnoreFile(c.input)).toEqual(c.expected);
  });
});

describe('new_cases', () => {
  test.each(corpus.new_cases.map((c) => [c.origin, c] as const))('%s', (_, c) => {
    if (c.error) {
      expect(() => new PatternMatcher(c.patterns)).toThrow(c.error_message);
      return;
    }
    const matcher = new PatternMatcher(c.patterns);
    if (c.pattern_count !== undefined) expect(matcher.patterns).toHaveLength(c.pattern_count);
    if (c.exclusions !== undefined) expect(matcher.hasExclusions).toBe(c.exclusions);
  });
});

describe('match_cases', () => {
  test.each(corpus.match_cases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    if (!c.error) {
      expect(new PatternMatcher(c.patterns).matchesOrParentMatches(c.path)).toBe(c.match);
    } else if (c.error_at === 'match') {
      const matcher = new PatternMatcher(c.patterns);
      expect(() => matcher.matchesOrParentMatches(c.path)).toThrow(c.error_message);
      expect(() => matcher.matchesOrParentMatches(c.path)).toThrow(c.error_message);
    } else {
      // Upstream's syntax check happens in New, before any path is looked at.
      expect(() => new PatternMatcher(c.patterns)).toThrow(c.error_message);
    }
  });
});

describe('compile_cases (informative: the match kind upstream picks)', () => {
  const kinds: Record<string, string> = { exactMatch: 'exact', prefixMatch: 'prefix', suffixMatch: 'suffix', regexpMatch: 'regexp' };
  test.each(corpus.compile_cases.cases.map((c) => [c.pattern, c] as const))('%s', (_, c) => {
    expect(compilePattern(c.pattern).kind).toBe(kinds[c.matchType]);
  });
});

function contextPatterns(c: ContextCase): string[] {
  if (c.exclude_patterns) return c.exclude_patterns;
  if (c.ignore_files) {
    const flag = c.build_args?.indexOf('-f') ?? -1;
    const dockerfile = flag >= 0 ? c.build_args![flag + 1]! : 'Dockerfile';
    const found = ignoreFileCandidates(dockerfile).find((name) => name in c.ignore_files!);
    return readIgnoreFile(found === undefined ? null : c.ignore_files[found]);
  }
  return readIgnoreFile(c.dockerignore);
}

describe('context_cases', () => {
  test.each(corpus.context_cases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    if (c.expect_error !== undefined) {
      expect(() => selectContext(c.files, contextPatterns(c))).toThrow(/illegal exclusion pattern: "!"/);
      return;
    }
    const selection = selectContext(c.files, contextPatterns(c));
    for (const path of c.expect_present) expect(selection.has(path), `${path} present`).toBe(true);
    for (const path of c.expect_absent) expect(selection.has(path), `${path} absent`).toBe(false);
    expect(selection.excludedFiles).toEqual([...c.derived_excluded_files!].sort());
    for (const file of c.files) expect(selection.has(file)).toBe(!c.derived_excluded_files!.includes(file));
    if (c.expect_walk) expect(selection.entries.map((e) => `${e.type} ${e.path}`)).toEqual(c.expect_walk);
    if (c.expect_listing) {
      const topLevel = selection.entries.filter((e) => !e.path.includes('/')).map((e) => `${e.path}\n`);
      expect(topLevel.join('')).toBe(c.expect_listing.stdout);
    }
  });

  test('an ignored Dockerfile is still readable for the build but not copied (ctx-04, ctx-14b)', () => {
    for (const id of ['ctx-04', 'ctx-14b']) {
      const c = corpus.context_cases.find((x) => x.id === id)!;
      const selection = selectContext(c.files, contextPatterns(c));
      expect(dockerfileAccess(selection, c.files, 'Dockerfile')).toEqual({ readable: true, copied: false });
    }
    const c = corpus.context_cases.find((x) => x.id === 'ctx-05')!;
    const selection = selectContext(c.files, contextPatterns(c));
    expect(dockerfileAccess(selection, c.files, './MyDockerfile')).toEqual({ readable: true, copied: false });
    expect(dockerfileAccess(selection, c.files, 'Dockerfile')).toEqual({ readable: true, copied: true });
  });
});

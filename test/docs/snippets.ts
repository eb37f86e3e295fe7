import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The TypeScript blocks of the user docs (```ts or ```typescript fences), and the annotations that
 * say how to check each one. An annotation is an HTML comment, invisible on GitHub, on the line (or
 * lines) right above the fence:
 *
 *     <!-- check: legacy class prelude: import { Cached } from '@cachet/core'; -->
 *
 * - `legacy`: compile with `experimentalDecorators` and `emitDecoratorMetadata` only (Nest snippets);
 *   without it a block compiles in both decorator modes.
 * - `class`: the block is a class body (methods with their decorators): wrap it in a class.
 * - `after`: a migration's before/after pair: check only the lines after the `// after` comment (the
 *   lines before it are another library's code).
 * - `error TS1241 [TS…]`: the block shows code that must not compile: it must fail with exactly
 *   these codes, and only on lines with a `// error` comment if it has any.
 * - `file <name>.ts`: other blocks of the same page import this block as `./<name>.js`.
 * - `same-as <path>`: the block is this file of the repository (comments aside).
 * - `prelude: <code>`: code compiled before the block, not shown: the reader's own names
 *   (`declare const url: string;`). Takes the rest of its comment.
 * - `skip -- <reason>`: not compiled; takes the rest of its comment. Only where nothing else works.
 *
 * Every block is its own module. A method body written `{ ... }` stands for code left out. Names
 * every page uses as the reader's own (`db`, `User`) are declared in `ambient.d.ts`.
 */
export interface Snippet {
  /** The markdown file, relative to the repository root, e.g. `docs/nestjs.md`. */
  file: string;
  /** 1-based line in `file` of the block's first line of code. */
  line: number;
  /** The block's lines of code, as written (indentation of the fence removed). */
  lines: string[];
  /** Columns removed from each line with the fence's indentation. */
  indent: number;
  legacy: boolean;
  classBody: boolean;
  after: boolean;
  /** Diagnostic codes the block must fail with; empty if it must compile. */
  errors: number[];
  /** The module name other blocks of the page import it by (`map-store.ts`). */
  fileName?: string;
  /** A repository file this block must equal, comments aside. */
  sameAs?: string;
  prelude: string[];
  /** Why the block is not compiled; undefined if it is. */
  skip?: string;
}

/** An annotation that is not attached to a TypeScript block, or that does not parse. */
export interface AnnotationProblem {
  where: string;
  problem: string;
}

const ANNOTATION = /^\s*<!--\s*check:(.*?)-->\s*$/;
const OPENING = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const TS_LANGUAGES = new Set(['ts', 'typescript']);

/** The markdown files whose blocks are checked: `README.md`, `docs/**\/*.md` and the package READMEs. */
export function docFiles(root: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  for (const dir of readdirSync(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', dir, 'README.md'))) files.push(join('packages', dir, 'README.md'));
  }
  return files.sort();
}

/** Every TypeScript block of `files`, with its annotations, and the annotations that went wrong. */
export function extractSnippets(
  root: string,
  files: string[],
): { snippets: Snippet[]; problems: AnnotationProblem[] } {
  const snippets: Snippet[] = [];
  const problems: AnnotationProblem[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8').split('\n');
    const attached = new Set<number>();
    for (let i = 0; i < text.length; i++) {
      const opening = OPENING.exec(text[i]);
      if (opening === null) continue;
      const [, indent, fence, language] = opening;
      let end = i + 1;
      while (end < text.length && !isClosing(text[end], fence)) end++;
      if (TS_LANGUAGES.has(language)) {
        const snippet: Snippet = {
          file,
          line: i + 2,
          lines: text.slice(i + 1, end).map((line) => line.slice(Math.min(indent.length, leading(line)))),
          indent: indent.length,
          legacy: false,
          classBody: false,
          after: false,
          errors: [],
          prelude: [],
        };
        for (let above = i - 1; above >= 0 && ANNOTATION.test(text[above]); above--) {
          attached.add(above);
          const problem = annotate(snippet, ANNOTATION.exec(text[above])![1]);
          if (problem !== undefined) problems.push({ where: `${file}:${above + 1}`, problem });
        }
        if (snippet.after && afterLine(snippet.lines) < 0) {
          problems.push({ where: `${file}:${i + 1}`, problem: 'after: the block has no // after line' });
        }
        snippets.push(snippet);
      }
      i = end;
    }
    text.forEach((line, i) => {
      if (/^\s*<!--\s*check\b/.test(line) && !attached.has(i)) {
        problems.push({
          where: `${file}:${i + 1}`,
          problem: 'a check annotation must be on the lines right above a ```ts fence',
        });
      }
    });
  }
  return { snippets, problems };
}

/** Applies one annotation's directives to `snippet`; returns what is wrong with it, if anything. */
function annotate(snippet: Snippet, directives: string): string | undefined {
  let rest = directives.trim();
  while (rest !== '') {
    if (rest.startsWith('prelude:')) {
      snippet.prelude.unshift(rest.slice('prelude:'.length).trim());
      return undefined;
    }
    if (/^skip\b/.test(rest)) {
      const reason = rest.replace(/^skip\s*(--)?\s*/, '');
      if (reason === '') return 'skip needs a reason: <!-- check: skip -- why -->';
      snippet.skip = reason;
      return undefined;
    }
    const [word] = rest.split(/\s+/, 1);
    rest = rest.slice(word.length).trim();
    const next = () => {
      const [value] = rest.split(/\s+/, 1);
      rest = rest.slice(value.length).trim();
      return value;
    };
    if (word === 'legacy') snippet.legacy = true;
    else if (word === 'class') snippet.classBody = true;
    else if (word === 'after') snippet.after = true;
    else if (word === 'file') {
      snippet.fileName = next();
      if (!/^[\w-]+\.ts$/.test(snippet.fileName)) return `file takes a module name like map-store.ts`;
    } else if (word === 'same-as') {
      snippet.sameAs = next();
      if (snippet.sameAs === '') return 'same-as takes a path from the repository root';
    } else if (word === 'error') {
      while (/^TS\d+\b/.test(rest)) snippet.errors.push(Number(next().slice(2)));
      if (snippet.errors.length === 0) return 'error takes the diagnostic codes, e.g. error TS1241';
    } else return `unknown directive '${word}' (legacy, class, after, error, file, same-as, prelude:, skip)`;
  }
  return undefined;
}

/** The index of a migration block's `// after` line, or -1. */
export function afterLine(lines: string[]): number {
  return lines.findIndex((line) => /^\s*\/\/\s*after\b/.test(line));
}

function isClosing(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && trimmed.slice(fence.length).replaceAll(fence[0], '').trim() === '';
}

function leading(line: string): number {
  return line.length - line.trimStart().length;
}

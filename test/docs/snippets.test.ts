import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  compile,
  diagnosticsOf,
  globalDiagnostics,
  type ModeName,
  type SnippetModule,
  toModule,
} from './compile.js';
import { docFiles, extractSnippets, type Snippet } from './snippets.js';

/**
 * Every TypeScript block of the user docs compiles against the built packages' types, in both decorator
 * modes (Nest blocks in the legacy one only), so that a snippet breaks the build when the API changes
 * under it. How a block is checked is said by an annotation above it: see snippets.ts.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const ambient = [fileURLToPath(new URL('./ambient.d.ts', import.meta.url))];
const { snippets, problems } = extractSnippets(root, docFiles(root));
const modules = new Map(snippets.filter((s) => s.skip === undefined).map((s) => [s, toModule(root, s)]));

let programs: Record<ModeName, ts.Program>;

beforeAll(() => {
  programs = compile([...modules.values()], ambient);
}, 60_000);

describe('the docs', () => {
  test('have their TypeScript blocks (README.md, docs/, the package READMEs)', () => {
    expect(snippets.length).toBeGreaterThan(30);
    expect(new Set(snippets.map((s) => s.file))).toContain('packages/nestjs/README.md');
  });

  test('have every check annotation right above a block, and each one parses', () => {
    expect(problems.map(({ where, problem }) => `${where}: ${problem}`)).toEqual([]);
  });

  test('compile the ambient declarations without errors', () => {
    expect(globalDiagnostics(programs.legacy, ambient)).toEqual([]);
    expect(globalDiagnostics(programs.standard, ambient)).toEqual([]);
  });
});

describe.each([...new Set(snippets.map((s) => s.file))])('%s', (file) => {
  for (const snippet of snippets.filter((s) => s.file === file)) {
    const name = `${file}:${snippet.line}`;
    const module = modules.get(snippet);
    if (module === undefined) {
      test.skip(`${name} (${snippet.skip})`, () => {});
      continue;
    }
    test(name, () => {
      const modes: ModeName[] = snippet.legacy ? ['legacy'] : ['standard', 'legacy'];
      const failures = modes.flatMap((mode) => check(mode, module));
      if (snippet.sameAs !== undefined) failures.push(...sameAs(snippet, snippet.sameAs));
      if (failures.length > 0) expect.fail(failures.join('\n'));
    });
  }
});

/** What is wrong with `module` in one mode: any error, or for an `error` block, not the right ones. */
function check(mode: ModeName, module: SnippetModule): string[] {
  const { snippet } = module;
  const diagnostics = diagnosticsOf(programs[mode], module);
  const label = `[${mode} decorators]`;
  if (snippet.errors.length === 0) {
    const hint =
      mode === 'standard' && /@nestjs\//.test(module.text) ? ' (a Nest block? mark it legacy)' : '';
    return diagnostics.map((d) => `${label}${hint} ${d.text}`);
  }
  const failures: string[] = [];
  const codes = new Set(diagnostics.map((d) => d.code));
  for (const code of snippet.errors) {
    if (!codes.has(code))
      failures.push(`${label} expected error TS${code}, which the compiler did not report`);
  }
  const marked = new Set(
    snippet.lines.flatMap((line, i) => (/\/\/\s*error\b/.test(line) ? [snippet.line + i] : [])),
  );
  for (const d of diagnostics) {
    if (!snippet.errors.includes(d.code)) failures.push(`${label} unexpected ${d.text}`);
    else if (marked.size > 0 && (d.line === undefined || !marked.has(d.line))) {
      failures.push(`${label} not on a line marked // error: ${d.text}`);
    }
  }
  return failures;
}

/** A block that is a file of the repository must be that file, comments and layout aside. */
function sameAs(snippet: Snippet, path: string): string[] {
  const printer = ts.createPrinter({ removeComments: true });
  const print = (text: string) =>
    printer.printFile(ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS));
  const block = print(snippet.lines.join('\n'));
  const file = print(readFileSync(join(root, path), 'utf8'));
  if (block === file) return [];
  return [`${snippet.file}:${snippet.line} differs from ${path} (comments aside); make them the same`];
}

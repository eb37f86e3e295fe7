import { join } from 'node:path';
import ts from 'typescript';
import { afterLine, type Snippet } from './snippets.js';

/** The two decorator modes a user's project may compile in. */
export type ModeName = 'standard' | 'legacy';

/** One block as a module: its code, where it lives (nowhere on disk) and where its lines came from. */
export interface SnippetModule {
  snippet: Snippet;
  /** The module's absolute path: under `test/docs/.snippets/<page>/`, so it resolves `test/`'s packages. */
  path: string;
  text: string;
  /** For each line of `text`, the markdown line it came from (undefined: prelude or class wrapper). */
  origin: Array<LineOrigin | undefined>;
}

interface LineOrigin {
  line: number;
  /** Where `{ ... }` was replaced on the line, and how many columns longer the replacement is. */
  shifts: Array<{ at: number; delta: number }>;
}

/** A compiler diagnostic of one block, placed in the markdown. */
export interface SnippetDiagnostic {
  code: number;
  /** 1-based markdown line, undefined if it is in the hidden prelude or wrapper. */
  line?: number;
  /** `docs/nestjs.md:157:5 TS1241 message`. */
  text: string;
}

/** The options of a strict user project; only the decorator settings differ between the modes. */
const BASE: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

const MODES: Record<ModeName, ts.CompilerOptions> = {
  standard: { ...BASE, experimentalDecorators: false },
  legacy: { ...BASE, experimentalDecorators: true, emitDecoratorMetadata: true },
};

/** A method body elided in the docs, `{ ... }`, and what it is compiled as. */
const ELIDED = '{ ... }';
const ELIDED_AS = '{ return undefined as any; }';

/** Turns a block into the module that is compiled: prelude, class wrapper, `{ ... }` bodies. */
export function toModule(root: string, snippet: Snippet): SnippetModule {
  const path = join(root, 'test/docs/.snippets', snippet.file, snippet.fileName ?? `L${snippet.line}.ts`);
  const lines: string[] = [];
  const origin: Array<LineOrigin | undefined> = [];
  const hidden = (line: string) => {
    lines.push(line);
    origin.push(undefined);
  };
  for (const code of snippet.prelude) hidden(code);
  if (snippet.classBody) hidden('class Snippet {');
  const first = snippet.after ? afterLine(snippet.lines) + 1 : 0;
  snippet.lines.slice(first).forEach((code, i) => {
    const shifts: LineOrigin['shifts'] = [];
    let text = code;
    for (let at = text.indexOf(ELIDED); at >= 0; at = text.indexOf(ELIDED, at + ELIDED_AS.length)) {
      text = text.slice(0, at) + ELIDED_AS + text.slice(at + ELIDED.length);
      shifts.push({ at, delta: ELIDED_AS.length - ELIDED.length });
    }
    lines.push(text);
    origin.push({ line: snippet.line + first + i, shifts });
  });
  if (snippet.classBody) hidden('}');
  return { snippet, path, text: `${lines.join('\n')}\n`, origin };
}

/**
 * One program per decorator mode over every module at once (a program per block would take minutes),
 * with `ambient` (real files) as extra roots. Library files parsed for the first mode are reused by the
 * second.
 */
export function compile(modules: SnippetModule[], ambient: string[]): Record<ModeName, ts.Program> {
  const parsed = new Map<string, ts.SourceFile>();
  const program = (mode: ModeName, roots: SnippetModule[]) => {
    const options = MODES[mode];
    const virtual = new Map(roots.map((module) => [module.path, module.text]));
    const directories = new Set([...virtual.keys()].map((path) => path.slice(0, path.lastIndexOf('/'))));
    const host = ts.createCompilerHost(options, true);
    const { fileExists, readFile, directoryExists, getSourceFile } = host;
    host.fileExists = (file) => virtual.has(file) || fileExists(file);
    host.readFile = (file) => virtual.get(file) ?? readFile(file);
    host.directoryExists = (dir) => directories.has(dir) || (directoryExists?.(dir) ?? true);
    host.getSourceFile = (file, language, onError, fresh) => {
      const text = virtual.get(file);
      if (text !== undefined) return ts.createSourceFile(file, text, language, true);
      const key = `${file}\0${JSON.stringify(language)}`;
      let source = parsed.get(key);
      if (source === undefined || fresh) {
        source = getSourceFile(file, language, onError, fresh);
        if (source !== undefined) parsed.set(key, source);
      }
      return source;
    };
    return ts.createProgram([...ambient, ...virtual.keys()], options, host);
  };
  return {
    legacy: program('legacy', modules),
    standard: program(
      'standard',
      modules.filter((module) => !module.snippet.legacy),
    ),
  };
}

/** The diagnostics of `module` in `program`, placed in the markdown. */
export function diagnosticsOf(program: ts.Program, module: SnippetModule): SnippetDiagnostic[] {
  const source = program.getSourceFile(module.path);
  if (source === undefined) return [{ code: 0, text: `${module.path} is not in the program` }];
  return diagnosticsIn(program, source).map((diagnostic) => place(module, diagnostic));
}

/** Diagnostics that belong to no block: compiler options, global types, `ambient` files. */
export function globalDiagnostics(program: ts.Program, ambient: string[]): string[] {
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ambient.flatMap((file) => {
      const source = program.getSourceFile(file);
      return source === undefined ? [] : diagnosticsIn(program, source);
    }),
  ];
  return diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost));
}

/** The syntax and type errors of one file of `program`. */
function diagnosticsIn(program: ts.Program, source: ts.SourceFile): ts.Diagnostic[] {
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
}

function place(module: SnippetModule, diagnostic: ts.Diagnostic): SnippetDiagnostic {
  const message = `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ')}`;
  const { file, start } = diagnostic;
  const { snippet } = module;
  if (file === undefined || start === undefined) return { code: diagnostic.code, text: message };
  const position = file.getLineAndCharacterOfPosition(start);
  if (file.fileName !== module.path) {
    return { code: diagnostic.code, text: `${file.fileName}:${position.line + 1} ${message}` };
  }
  const origin = module.origin[position.line];
  if (origin === undefined) {
    const part = position.line < snippet.prelude.length ? 'hidden prelude' : 'class wrapper';
    return { code: diagnostic.code, text: `${snippet.file}:${snippet.line} (${part}) ${message}` };
  }
  let column = position.character;
  for (const { at, delta } of origin.shifts) if (at < position.character) column -= delta;
  const where = `${snippet.file}:${origin.line}:${column + snippet.indent + 1}`;
  return { code: diagnostic.code, line: origin.line, text: `${where} ${message}` };
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (file) => file,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

// The D compiler's passes, in order, and why:
//   0. preprocess (-C, injected)   cpp runs first on scripts, as dtrace -C runs /usr/lib/cpp.
//   1. lexer.ts + parser.ts        text -> AST; syntax errors stop here with dtrace's line numbers.
//   2. pragmas (here)              `#pragma D option` sets options before meaning is checked, since
//                                  options such as defaultargs and strsize change it.
//   3. sema.ts                     per clause in program order: probe matching (D_PDESC_ZERO comes
//                                  before any error in the clause body, as in dt_cc.c), types,
//                                  identifiers, prototypes, printf formats, aggregations.
//   4. codegen.ts                  each clause to a JS function run in probe context.
// The consumer (consumer.ts) enables, fires and prints; output.ts holds the formats.
import { parseD, DCompileError } from './parser.js';
import { checkProgram, type SemaResult } from './sema.js';
import { compileClause, type CompiledClause } from './codegen.js';
import type { ProbeCatalog } from './catalog.js';
import { Options, OptionError } from './options.js';

/** One -s script or one -n/-P/-m/-f/-i specifier. */
export type CompileInput =
  | { kind: 'script'; name: string; text: string }
  | { kind: 'probe'; flag: 'n' | 'P' | 'm' | 'f' | 'i'; text: string };

/** The C preprocessor the lead wires in (src/cc/preprocess.ts): returns the preprocessed text. */
export type Preprocessor = (text: string, file: string, opts: { defines: Record<string, string>; undefs: string[]; includeDirs: string[] }) => string;

export interface CompileOptions {
  /** $0 is the script name (or "dtrace"); $1.. the arguments after the script. */
  macroArgs: string[];
  /** $target, $pid, $ppid, $uid, $gid, ... */
  macroVars?: Record<string, bigint>;
  /** -C */
  cpp?: boolean;
  preprocess?: Preprocessor;
  defines?: Record<string, string>;
  undefs?: string[];
  includeDirs?: string[];
}

export interface CompiledProgram {
  input: CompileInput;
  sema: SemaResult;
  clauses: CompiledClause[];
}

/** The D program text a -P/-m/-f/-i specifier stands for. */
export function specifierProgram(input: Extract<CompileInput, { kind: 'probe' }>): string {
  switch (input.flag) {
    case 'n':
      return input.text;
    case 'P':
      return `${input.text}:::`;
    case 'm':
      return `:${input.text}::`;
    case 'f':
      return `::${input.text}:`;
    case 'i':
      return input.text;
  }
}

/** Applies `#pragma D option ...` lines; other pragmas (depends_on, attributes, binding) are accepted. */
function applyPragmas(pragmas: { words: string[]; line: number }[], options: Options): void {
  for (const p of pragmas) {
    const [first, d, what, ...rest] = p.words;
    if (first === 'pragma' && d === 'D') {
      if (what === 'option') {
        for (const spec of rest) {
          const eq = spec.indexOf('=');
          const name = eq < 0 ? spec : spec.slice(0, eq);
          const value = eq < 0 ? true : spec.slice(eq + 1);
          try {
            options.set(name, value);
          } catch (e) {
            if (e instanceof OptionError) throw new DCompileError('D_PRAGMA_OPTSET', p.line, `failed to set option '${name}'${value === true ? '' : ` to '${value}'`}: ${e.message}`);
            throw e;
          }
        }
      } else if (!['depends_on', 'attributes', 'binding', 'error', 'ident', 'line', 'stability'].includes(what ?? '')) {
        throw new DCompileError('D_PRAGMA_INVAL', p.line, `invalid control directive: #pragma D ${what ?? ''}`);
      }
    } else if (first === 'pragma' || first === 'line' || /^[0-9]+$/.test(first ?? '') || first === 'ident' || first?.startsWith('!')) {
      continue;
    } else if (first === 'error') {
      throw new DCompileError('D_PRAGERR', p.line, `#error ${p.words.slice(1).join(' ')}`);
    } else {
      throw new DCompileError('D_PRAGCTL_INVAL', p.line, `invalid control directive: #${first ?? ''}`);
    }
  }
}

/** Runs every pass over each input; throws DCompileError tagged with the input it came from. */
export function compileSources(inputs: CompileInput[], opts: CompileOptions, catalog: ProbeCatalog, options: Options): CompiledProgram[] {
  const out: CompiledProgram[] = [];
  for (const input of inputs) {
    try {
      let text = input.kind === 'script' ? input.text : specifierProgram(input);
      if (input.kind === 'script' && text.startsWith('#!')) text = text.replace(/^#![^\n]*/, '');
      if (opts.cpp && input.kind === 'script') {
        if (!opts.preprocess) throw new DCompileError('D_CPP', 1, 'failed to run cpp: no C preprocessor is available');
        text = opts.preprocess(text, input.kind === 'script' ? input.name : '<command line>', {
          defines: opts.defines ?? {}, undefs: opts.undefs ?? [], includeDirs: opts.includeDirs ?? [],
        });
      }
      const { program, pragmas } = parseD(text);
      applyPragmas(pragmas, options);
      const sema = checkProgram(program, {
        catalog,
        macroArgs: opts.macroArgs,
        allowZeroMatches: options.flag('zdefs'),
        defaultArgs: options.flag('defaultargs'),
        macroVars: opts.macroVars ?? {},
        specifierMode: input.kind === 'probe',
      });
      const clauses = sema.clauses.map((c) => compileClause(c, sema));
      out.push({ input, sema, clauses });
    } catch (e) {
      if (e instanceof DCompileError) (e as unknown as { input: CompileInput }).input = input;
      throw e;
    }
  }
  return out;
}

/** The message dtrace prints for a compile error. */
export function formatCompileError(e: DCompileError, input: CompileInput | undefined, errtags: boolean): string {
  const tag = errtags ? `[${e.tag}] ` : '';
  const msg = e.message.endsWith('\n') ? e.message : e.message + '\n';
  if (!input || input.kind === 'script') {
    return `dtrace: failed to compile script ${input?.name ?? ''}: ${tag}line ${e.line}: ${msg}`;
  }
  return `dtrace: invalid probe specifier ${input.text}: ${tag}${msg}`;
}

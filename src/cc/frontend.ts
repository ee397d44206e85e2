// The C front end driver: preprocesses a file and parses the result into a translation unit,
// with every diagnostic of both stages. Files reach it through the injected readFile.
import type { TranslationUnit } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { parseTranslationUnit } from './parse.js';
import { type PreprocessOptions, preprocess } from './preprocess.js';

export interface FrontendResult {
  /** Absent when preprocessing or parsing reported an error. */
  unit?: TranslationUnit;
  diagnostics: Diagnostic[];
  /** The preprocessed text with line markers (what `ksim cc -E` prints). */
  preprocessed: string;
  /** Every file read, main file first. */
  deps: string[];
}

export function parseC(file: string, opts: PreprocessOptions): FrontendResult {
  const pp = preprocess(file, opts);
  const failed = pp.diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal error');
  if (pp.diagnostics.some((d) => d.severity === 'fatal error')) {
    return { diagnostics: pp.diagnostics, preprocessed: pp.text, deps: pp.deps };
  }
  const parsed = parseTranslationUnit(pp.text, file);
  const diagnostics = [...pp.diagnostics, ...parsed.diagnostics];
  const result: FrontendResult = { diagnostics, preprocessed: pp.text, deps: pp.deps };
  if (parsed.unit && !failed) result.unit = parsed.unit;
  return result;
}

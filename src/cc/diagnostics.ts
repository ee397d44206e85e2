// Compiler diagnostics shared by every stage of the C (and D) toolchains: a located message
// formatted the way gcc prints it, with the source line and a caret. Errors are values
// (Diagnostic); stages collect them and throw CompileError only to stop a stage early.
import type { Loc } from './ast.js';

export type Severity = 'error' | 'warning' | 'note' | 'fatal error';

export interface Diagnostic {
  severity: Severity;
  message: string;
  loc?: Loc;
  /** Length of the caret underline (gcc prints ^~~~ over a token). */
  length?: number;
}

/** Thrown to abandon a stage; carries every diagnostic collected so far. */
export class CompileError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ` : ''}${d.severity}: ${d.message}`).join('\n'));
    this.name = 'CompileError';
  }
}

/** Looks up source text for a file name, to print the offending line. */
export type SourceLookup = (file: string) => string | undefined;

/**
 * Formats one diagnostic as gcc 12 does:
 *   test.c:5:3: error: expected ';' before 'return'
 *       5 |   return 0
 *         |   ^~~~~~
 */
export function formatDiagnostic(d: Diagnostic, sources?: SourceLookup): string {
  if (!d.loc) return `ksim: ${d.severity}: ${d.message}\n`;
  const { file, line, col } = d.loc;
  let out = `${file}:${line}:${col}: ${d.severity}: ${d.message}\n`;
  const text = sources?.(file);
  if (text !== undefined) {
    const srcLine = text.split('\n')[line - 1];
    if (srcLine !== undefined) {
      const num = String(line).padStart(5);
      const gutter = ' '.repeat(num.length);
      const caretPad = srcLine.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, ' ');
      const under = '^' + '~'.repeat(Math.max(0, (d.length ?? 1) - 1));
      out += `${num} | ${srcLine}\n${gutter} | ${caretPad}${under}\n`;
    }
  }
  return out;
}

export function formatDiagnostics(ds: Diagnostic[], sources?: SourceLookup): string {
  return ds.map((d) => formatDiagnostic(d, sources)).join('');
}

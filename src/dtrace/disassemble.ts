// dtrace -S: the compiler's intermediate code, written to stderr after compiling as dtrace writes
// its DIF disassembly. ksim's D compiler (codegen.ts) does not emit DIF: each clause becomes one
// JavaScript function, so -S shows that function's body, one numbered line per statement, under
// the clause's number and probe descriptions.
import type { CompiledProgram } from './compile.js';

/** The -S listing of every clause of the programs, in the order they were compiled. */
export function formatIntermediate(programs: CompiledProgram[]): string {
  let out = '';
  let n = 0;
  for (const prog of programs) {
    for (const c of prog.clauses) {
      n++;
      const descs = c.checked.clause.descs.map((d) => d.text).join(', ');
      out += `\nDisassembly of clause #${n} (${descs}): ksim's intermediate code (JavaScript, run in probe context)\n`;
      out += 'OFF INSTRUCTION\n';
      const lines = c.source.split('\n').filter((l) => l.trim() !== '');
      lines.forEach((l, i) => {
        out += `${String(i).padStart(2, '0')}: ${l}\n`;
      });
    }
  }
  return out;
}

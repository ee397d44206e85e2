// Parser fuzzing for every front end: the C preprocessor and parser, D (dtrace), the syscall
// table (syscall_64.tbl), ktrace files (kdump) and the kernel log (kmsg.ndjson). Seed inputs are
// mutated (bytes flipped, inserted, deleted, duplicated, spliced with tokens) deterministically
// from a seed; every mutated input must end in a clean result or a diagnostic with a position
// (or a record-level error), never an escaping exception. Slow inputs are findings too (hang
// check through an injected clock). Core code: no Node imports.
import { parseC } from '../cc/frontend.js';
import { DtraceSession } from '../dtrace/consumer.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from '../dtrace/catalog.js';
import { parseTbl } from '../machine/tbl.js';
import { runKdumpStream, defaultKdumpOptions } from '../ktrace/kdump.js';
import { syntheticTrace } from '../ktrace/bench.js';
import { parseKmsgText } from '../kernel/log-store.js';
import { Rng } from './syscalls.js';

export type FrontEnd = 'c' | 'd' | 'tbl' | 'ktrace' | 'kmsg';

export interface ParserFinding {
  frontEnd: FrontEnd;
  /** The input that broke it (text, or base64-free bytes as a latin1 string for ktrace). */
  input: string;
  message: string;
}

export interface ParserFuzzReport {
  inputs: number;
  diagnostics: number;
  findings: ParserFinding[];
}

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

export const SEED_INPUTS: Record<Exclude<FrontEnd, 'ktrace'>, string[]> = {
  c: [
    `#include "h.h"\n#define MAX(a, b) ((a) > (b) ? (a) : (b))\n#if defined(X) && X > 2\nint x = 1;\n#elif 1\nint x = 2;\n#endif\nstruct s { int a; char b[4]; union { long l; } u; };\nstatic int f(int n, ...) { return n ? f(n - 1) : MAX(n, 3); }\nint main(int argc, char **argv) {\n  struct s v = { .a = 1, .b = "ab" };\n  for (int i = 0; i < argc; i++) if (argv[i][0] == '-') v.a += i; else continue;\n  switch (v.a) { case 1: return 0; default: break; }\n  return sizeof(v) + (int)(long)&v + 0x1fUL + 'c' + 1.5e3f;\n}\n`,
    `#define STR(x) #x\n#define CAT(a, b) a##b\ntypedef int (*fp)(const char *, ...);\nenum e { A = 1, B = A << 2 };\nint CAT(na, me)(void) { char *s = STR(hello); do { s++; } while (*s); goto out; out: return B; }\n`,
  ],
  d: [
    `#pragma D option quiet\nsyscall::read:entry /pid == $target && arg2 > 0/ { self->ts = timestamp; @c[execname] = count(); }\nsyscall::read:return /self->ts/ { @t["read"] = quantize(timestamp - self->ts); self->ts = 0; printf("%s %d\\n", execname, arg0); }\nEND { printa(@c); trace(1 + 2 * 3); }\n`,
    `BEGIN { x = "str"; y[1, "k"] = 2; this->z = (int)arg0 ? 1 : 0; printf("%-10s %x %@d\\n", x, y[1, "k"], @a); exit(0); }\nsyscall::open*:entry { stringof(copyinstr(arg0)); }\n`,
  ],
  tbl: [
    `# comment\n0\tcommon\tread\t\t\tsys_read\n1\tcommon\twrite\t\t\tsys_write\n2\tcommon\topen\t\t\tsys_open\n512\tx32\trt_sigaction\t\tcompat_sys_rt_sigaction\n548\tcommon\thello\t\t\tsys_hello\n`,
  ],
  kmsg: [
    `{"seq":0,"usec":1000,"level":6,"facility":0,"flags":0,"text":"Linux version 6.8.0-ksim","time":1700000000000}\n{"seq":1,"usec":2500,"level":4,"text":"hello: from pid 100","caller":"T100","pid":100,"time":1700000000001}\n{"clear":true,"lastSeq":0}\n{"seq":2,"usec":3000,"level":3,"text":"oops\\u0000\\n","time":1700000000002}\n`,
  ],
};

const TOKENS: Record<FrontEnd, string[]> = {
  c: ['#', '##', '#include', '#define', '#if', '#endif', '#else', '(', ')', '{', '}', '[', ']', ';', ',', '"', "'", '\\', '/*', '*/', '//', '...', 'int', 'struct', 'typedef', '__VA_ARGS__', '0x', '1e', '\n', '??=', '\0', 'sizeof', '->', '<<=', '@'],
  d: ['/', '{', '}', '(', ')', '[', ']', ';', ',', '"', '$target', '$1', 'self->', 'this->', '@', '::', ':', '*', 'printf', '%', '#pragma D', '\n', '->', 'stringof', '?', '\\', '\0', 'inline', 'translator'],
  tbl: ['\t', ' ', '\n', '#', '-1', '99999999999999999999', 'common', '64', 'x32', 'sys_', '\0', '0x10', 'é'],
  ktrace: [],
  kmsg: ['{', '}', '"', ':', ',', '\n', 'null', '1e999', '-0', '"seq"', '"usec"', '\\u', '\\', '[', ']', 'true', '"clear"'],
};

/** A mutation of input: a few byte-level or token-level edits. */
export function mutateBytes(rng: Rng, input: Uint8Array, tokens: string[]): Uint8Array {
  let b = Array.from(input);
  const edits = 1 + rng.int(6);
  for (let i = 0; i < edits; i++) {
    const at = rng.int(b.length + 1);
    switch (rng.int(8)) {
      case 0: if (b.length) b[Math.min(at, b.length - 1)] ^= 1 << rng.int(8); break;
      case 1: if (b.length) b[Math.min(at, b.length - 1)] = rng.pick([0, 0xff, 0x7f, 0x80, 0x0a, 0x22, 0x5c]); break;
      case 2: b.splice(at, 1 + rng.int(16)); break;
      case 3: b.splice(at, 0, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256))); break;
      case 4: if (tokens.length) b.splice(at, 0, ...enc.encode(rng.pick(tokens))); break;
      case 5: { const from = rng.int(b.length + 1); b.splice(at, 0, ...b.slice(from, from + rng.int(64))); break; }
      case 6: b = b.slice(0, at); break;
      default: if (tokens.length) b.splice(at, 0, ...enc.encode(rng.pick(tokens).repeat(1 + rng.int(200)))); break;
    }
  }
  return Uint8Array.from(b);
}

/** Runs one input through a front end; returns what is wrong (a finding), or undefined. 'diag' counts. */
export function checkInput(frontEnd: FrontEnd, bytes: Uint8Array): { finding?: string; diagnostic: boolean } {
  const text = new TextDecoder().decode(bytes);
  try {
    switch (frontEnd) {
      case 'c': {
        const files: Record<string, string> = { 'fuzz.c': text, 'h.h': 'typedef long size_t;\n#define X 3\n' };
        const r = parseC('fuzz.c', { readFile: (p) => files[p] });
        const errors = r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal error');
        for (const d of errors) if (!d.loc || !(d.loc.line >= 1) || !(d.loc.col >= 1)) return { finding: `diagnostic without a position: ${d.message}`, diagnostic: true };
        if (!r.unit && errors.length === 0) return { finding: 'no translation unit and no error', diagnostic: false };
        return { diagnostic: errors.length > 0 };
      }
      case 'd': {
        const s = new DtraceSession({ catalog: dCatalog(), stdout: () => {}, stderr: () => {} });
        const e = s.compile([{ kind: 'script', name: 'fuzz.d', text }], { macroArgs: ['fuzz.d'] });
        if (e === undefined) return { diagnostic: false };
        if (!e.startsWith('dtrace: ')) return { finding: `error text not in dtrace's form: ${e.slice(0, 200)}`, diagnostic: true };
        return { diagnostic: true };
      }
      case 'tbl': {
        const r = parseTbl(text, 'syscall_64.tbl', 'x86_64');
        for (const d of r.diagnostics) if (!d.loc || !(d.loc.line >= 1)) return { finding: `diagnostic without a position: ${d.message}`, diagnostic: true };
        return { diagnostic: r.diagnostics.length > 0 };
      }
      case 'ktrace': {
        let err = '';
        runKdumpStream(
          { read: (buf, pos) => { const n = Math.max(0, Math.min(buf.length, bytes.length - pos)); buf.set(bytes.subarray(pos, pos + n)); return n; } },
          defaultKdumpOptions(),
          () => {},
          (t) => { err += t; },
        );
        return { diagnostic: err.length > 0 };
      }
      case 'kmsg': {
        const r = parseKmsgText(text);
        for (const rec of r.records) if (typeof rec.text !== 'string' || !Number.isFinite(rec.seq)) return { finding: `bad record ${JSON.stringify(rec)}`, diagnostic: false };
        return { diagnostic: false };
      }
    }
  } catch (e) {
    return { finding: `uncaught ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, diagnostic: false };
  }
}

let catalog: ListCatalog | undefined;
function dCatalog(): ListCatalog {
  const sys: ProbeInfo[] = [
    { id: 10, provider: 'syscall', module: '', func: 'read', name: 'entry', argTypes: ['unsigned int', 'char __user *', 'size_t'] },
    { id: 11, provider: 'syscall', module: '', func: 'read', name: 'return', argTypes: ['long'] },
    { id: 12, provider: 'syscall', module: '', func: 'open', name: 'entry', argTypes: ['const char __user *', 'int', 'umode_t'] },
    { id: 13, provider: 'syscall', module: '', func: 'open', name: 'return', argTypes: ['long'] },
  ];
  catalog ??= new ListCatalog([...dtraceProviderProbes(), ...sys]);
  return catalog;
}

function seedBytes(frontEnd: FrontEnd): Uint8Array[] {
  if (frontEnd === 'ktrace') {
    const t = syntheticTrace(40);
    const b = new Uint8Array(t.size);
    t.source.read(b, 0);
    return [b];
  }
  return SEED_INPUTS[frontEnd].map((s) => enc.encode(s));
}

/** Fuzzes one front end with count mutated inputs (plus a few purely random ones). */
export function fuzzParser(frontEnd: FrontEnd, o: { count: number; seed: number; nowMs?: () => number; hangMs?: number }): ParserFuzzReport {
  const rng = new Rng(o.seed);
  const seeds = seedBytes(frontEnd);
  const report: ParserFuzzReport = { inputs: 0, diagnostics: 0, findings: [] };
  for (let i = 0; i < o.count; i++) {
    let input: Uint8Array;
    if (i % 10 === 9) input = Uint8Array.from({ length: rng.int(200) }, () => rng.int(256));
    else {
      input = rng.pick(seeds);
      const rounds = 1 + rng.int(3);
      for (let r = 0; r < rounds; r++) input = mutateBytes(rng, input, TOKENS[frontEnd]);
    }
    const start = o.nowMs?.();
    const r = checkInput(frontEnd, input);
    report.inputs++;
    if (r.diagnostic) report.diagnostics++;
    const took = start === undefined ? 0 : o.nowMs!() - start;
    const finding = r.finding ?? (took > (o.hangMs ?? 2000) ? `took ${Math.round(took)} ms` : undefined);
    if (finding) report.findings.push({ frontEnd, input: dec.decode(input), message: finding });
  }
  return report;
}

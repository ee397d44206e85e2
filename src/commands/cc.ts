// `ksim cc [-o OUT] [-E] [-c] [-D NAME[=VAL]] [-U NAME] [-I DIR] [-Wall] FILE.c ...`: compiles C
// for the machine into an executable image (a `#!` text file runnable with `ksim run` or directly).
import { KsimCommand, UserError } from '../cli/base.js';
import { compileProgram } from '../toolchain/cc.js';
import { nodeSysroot } from '../toolchain/node-sysroot.js';
import { formatDiagnostics } from '../cc/diagnostics.js';
import { machineIncludeDirs } from '../cli/program.js';
import { absolutePath } from '../machine/locate.js';
import { assembleProgram, isAssemblyFile, prepareForCpp } from '../asm/index.js';
import { preprocess } from '../cc/preprocess.js';
import { predefinedMacros } from '../toolchain/cc.js';
import * as fs from 'node:fs';

interface CcArgs {
  out?: string;
  preprocess: boolean;
  compileOnly: boolean;
  defines: Record<string, string>;
  undefines: string[];
  includes: string[];
  files: string[];
  machine?: string;
}

/** Parses gcc-style arguments (-oOUT and -o OUT, -DX=1, -I DIR...). */
export function parseCcArgs(argv: string[]): CcArgs {
  const a: CcArgs = { preprocess: false, compileOnly: false, defines: {}, undefines: [], includes: [], files: [] };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const value = (flag: string) => {
      if (x.length > flag.length) return x.slice(flag.length);
      const v = argv[++i];
      if (v === undefined) throw new UserError(`missing argument to '${flag}'`, 1);
      return v;
    };
    if (x === '--machine') a.machine = argv[++i];
    else if (x.startsWith('--machine=')) a.machine = x.slice(10);
    else if (x.startsWith('-o')) a.out = value('-o');
    else if (x === '-E') a.preprocess = true;
    else if (x === '-c') a.compileOnly = true;
    else if (x.startsWith('-D')) {
      const d = value('-D');
      const eq = d.indexOf('=');
      if (eq < 0) a.defines[d] = '1';
      else a.defines[d.slice(0, eq)] = d.slice(eq + 1);
    } else if (x.startsWith('-U')) a.undefines.push(value('-U'));
    else if (x.startsWith('-I')) a.includes.push(value('-I'));
    else if (x.startsWith('-W') || x.startsWith('-O') || x === '-g' || x.startsWith('-std=') || x === '-static' || x === '-pedantic') continue;
    else if (x.startsWith('-') && x !== '-') throw new UserError(`unrecognized command-line option '${x}'`, 1);
    else a.files.push(x);
  }
  return a;
}

export default class Cc extends KsimCommand {
  static override description = "Compile C for the machine (ksim's own compiler and libc)";
  static override strict = false;
  static override examples = ['<%= config.bin %> cc -o test test.c', '<%= config.bin %> cc -E test.c', '<%= config.bin %> cc -DDEBUG -Iinclude -o prog main.c util.c'];

  async run(): Promise<void> {
    // Arguments are the tool's own (parsed below as the real tool does); this tells oclif so.
    const rawArgv = [...this.argv];
    await this.parse(Cc, []);
    this.argv = rawArgv;
    const args = parseCcArgs(this.argv);
    if (args.files.length === 0) throw new UserError('fatal error: no input files\ncompilation terminated.', 1);
    const located = this.machine(args.machine);
    const files = args.files.map((f) => absolutePath(this.host, f));
    for (const [i, f] of files.entries()) {
      if (!fs.existsSync(f)) throw new UserError(`${args.files[i]}: No such file or directory\ncompilation terminated.`, 1);
    }
    const read = (p: string) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    };
    if (files.some(isAssemblyFile)) {
      this.assemble(args, files, read, located.config);
      return;
    }
    const r = compileProgram(files, read, nodeSysroot(), {
      target: { arch: located.config.arch, os: located.config.os },
      defines: args.defines,
      undefines: args.undefines,
      includeDirs: args.includes.map((d) => absolutePath(this.host, d)),
      machineIncludeDirs: machineIncludeDirs(located),
      preprocessOnly: args.preprocess,
      compileOnly: args.compileOnly,
    });
    // Show paths as the user wrote them.
    const cwd = this.host.cwd() + '/';
    const shown = r.diagnostics.map((d) => (d.loc && d.loc.file.startsWith(cwd) ? { ...d, loc: { ...d.loc, file: d.loc.file.slice(cwd.length) } } : d));
    const text = formatDiagnostics(shown, (f) => r.sources.get(f.startsWith('/') ? f : cwd + f) ?? read(f.startsWith('/') ? f : cwd + f));
    if (text) this.err(text);
    const failed = r.diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal error');
    if (args.preprocess) {
      if (r.preprocessed !== undefined) {
        if (args.out) fs.writeFileSync(absolutePath(this.host, args.out), r.preprocessed);
        else this.out(r.preprocessed);
      }
      process.exit(failed ? 1 : 0);
    }
    if (failed) process.exit(1);
    if (args.compileOnly) {
      for (const [i, obj] of (r.objects ?? []).entries()) {
        const out = args.out && files.length === 1 ? args.out : args.files[i]!.replace(/\.c$/, '.o');
        fs.writeFileSync(absolutePath(this.host, out), JSON.stringify(obj));
      }
      return;
    }
    const out = absolutePath(this.host, args.out ?? 'a.out');
    fs.writeFileSync(out, r.image!);
    fs.chmodSync(out, 0o755);
  }

  /** .s/.S files: assembled (after the C preprocessor for .S) and linked as a static program. */
  private assemble(args: CcArgs, files: string[], read: (p: string) => string | undefined, config: { arch: 'x86_64' | 'i386'; os: 'linux' | 'freebsd' }): void {
    if (!files.every(isAssemblyFile)) throw new UserError('ksim cc: mixing C and assembly files in one program is not supported yet', 1);
    if (args.compileOnly) throw new UserError('ksim cc: -c is not supported for assembly files yet (assemble and link in one step)', 1);
    const cwd = this.host.cwd() + '/';
    const shown = (f: string) => (f.startsWith(cwd) ? f.slice(cwd.length) : f);
    const sources: { path: string; text: string; lineMarkers?: boolean }[] = [];
    let preprocessFailed = false;
    for (const [i, f] of files.entries()) {
      const text = read(f) ?? '';
      if (!f.endsWith('.S')) {
        sources.push({ path: args.files[i]!, text });
        continue;
      }
      const pp = preprocess(f, {
        readFile: (p) => (p === f ? prepareForCpp(text) : read(p)),
        includeDirs: args.includes.map((d) => absolutePath(this.host, d)),
        predefined: { ...predefinedMacros({ arch: config.arch, os: config.os }, false), __ASSEMBLER__: '1' },
        defines: args.defines,
        undefines: args.undefines,
      });
      const text2 = formatDiagnostics(pp.diagnostics.map((d) => (d.loc ? { ...d, loc: { ...d.loc, file: shown(d.loc.file) } } : d)), (p) => read(p.startsWith('/') ? p : cwd + p));
      if (text2) this.err(text2);
      if (pp.diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal error')) preprocessFailed = true;
      sources.push({ path: args.files[i]!, text: pp.text.replaceAll(`"${f}"`, `"${args.files[i]!}"`), lineMarkers: true });
    }
    if (preprocessFailed) process.exit(1);
    if (args.preprocess) {
      const text = sources.map((s) => s.text).join('');
      if (args.out) fs.writeFileSync(absolutePath(this.host, args.out), text);
      else this.out(text);
      return;
    }
    const r = assembleProgram(sources, config.arch, config.os);
    if (r.messages.length) this.err(r.messages.join('\n') + '\n');
    if (r.failed || !r.image) process.exit(1);
    const out = absolutePath(this.host, args.out ?? 'a.out');
    fs.writeFileSync(out, r.image);
    fs.chmodSync(out, 0o755);
  }
}

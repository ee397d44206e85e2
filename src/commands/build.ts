// `ksim build`: reads the syscall table and kernel/**/*.c and makes the kernel the next runs use.
import { KsimCommand } from '../cli/base.js';
import { buildMachine, type KernelCompiler } from '../machine/build.js';
import { compileKernel } from '../toolchain/cc.js';
import { nodeSysroot } from '../toolchain/node-sysroot.js';
import { formatDiagnostics } from '../cc/diagnostics.js';
import { writeSyscallHeader } from '../machine/headers.js';
import { loadSyscallModules } from '../cli/ts-syscalls.js';
import * as fs from 'node:fs';

function readSource(dir: string, f: string): string | undefined {
  try {
    return fs.readFileSync(`${dir}/${f}`, 'utf8');
  } catch {
    return undefined;
  }
}

export default class Build extends KsimCommand {
  static override description = "Build the machine's kernel from its syscall table and kernel sources";
  static override examples = ['<%= config.bin %> build'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Build);
    const located = this.machine(flags.machine);
    const sys = nodeSysroot();
    const cc: KernelCompiler = {
      compile: (files, config, opts) => {
        const r = compileKernel(files.map((f) => ({ path: f.path, text: f.text })), { arch: config.arch, os: config.os }, sys, { headers: opts?.headers });
        return { image: r.image, functions: r.functions, diagnostics: r.diagnostics };
      },
    };
    // TypeScript syscall modules (kernel/*.ts) are loaded to check them and record their signatures.
    const ts = await loadSyscallModules(located.dir);
    // Paths in diagnostics are relative to the machine, as make prints them from the source tree.
    const r = ts.diagnostics.some((d) => d.severity === 'error')
      ? { diagnostics: ts.diagnostics, sources: new Map<string, string>(), built: undefined }
      : buildMachine(this.host, located.dir, located.config, cc, ts.syscalls);
    if (r.built) r.diagnostics.unshift(...ts.diagnostics);
    const text = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f) ?? readSource(located.dir, f));
    if (text) this.err(text);
    if (!r.built) {
      this.err(`ksim build: kernel build failed (${r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal error').length} error(s))\n`);
      process.exit(1);
    }
    writeSyscallHeader(this.host, located.dir, r.built);
    const bound = { ...r.built.cParams, ...r.built.tsParams };
    const custom = r.built.tbl.filter((row) => Object.prototype.hasOwnProperty.call(bound, row.entry));
    this.out(
      `  SYSTBL  ${r.built.tbl.length} syscalls (${r.built.tbl.filter((x) => x.abi !== 'x32').length} native)\n` +
        Object.keys(r.built.cParams).length.toString().replace(/^/, '  CC      ') + ' kernel C function(s)\n' +
        (ts.syscalls.length ? `  TS      ${ts.syscalls.length} TypeScript syscall(s)\n` : '') +
        custom.map((row) => `  BIND    ${row.nr} ${row.name} -> ${row.entry}\n`).join('') +
        `Kernel: ${located.config.release}${located.config.localversion} is ready\n`,
    );
  }
}

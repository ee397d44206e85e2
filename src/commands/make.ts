// `ksim make`: builds a FreeBSD kernel module from a bsd.kmod.mk-style Makefile in the current
// directory (KMOD, SRCS), writing KMOD.ko: a kernel-mode ksim image, loadable with `ksim kldload`.
import { Flags } from '@oclif/core';
import { KsimCommand, UserError } from '../cli/base.js';
import { currentKernel } from '../cli/session.js';
import { compileKernel } from '../toolchain/cc.js';
import { nodeSysroot } from '../toolchain/node-sysroot.js';
import { formatDiagnostics } from '../cc/diagnostics.js';
import { parseKmodMakefile, moduleTextBase } from '../kernel/freebsd/kmod-makefile.js';
import { sysprotoText } from '../kernel/freebsd/rows.js';
import { stockMaster } from '../kernel/freebsd/machine.js';
import { absolutePath } from '../machine/locate.js';
import * as fs from 'node:fs';

export default class Make extends KsimCommand {
  static override description = 'Build a FreeBSD kernel module (KMOD.ko) from the Makefile in the current directory';
  static override examples = ['<%= config.bin %> make', '<%= config.bin %> make -f Makefile.mod'];
  static override flags = {
    file: Flags.string({ char: 'f', description: 'the Makefile to read', default: 'Makefile' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Make);
    const located = this.machine(flags.machine);
    if (located.config.os !== 'freebsd') throw new UserError(`kernel modules are built on FreeBSD machines (${located.dir} is ${located.config.os}); Linux kernel code goes in kernel/ and 'ksim build'`, 2);
    const mkPath = absolutePath(this.host, flags.file);
    if (!fs.existsSync(mkPath)) throw new UserError(`make: don't know how to make all. Stop (no ${flags.file} here)`, 2);
    const mk = parseKmodMakefile(fs.readFileSync(mkPath, 'utf8'), flags.file);
    if (!mk.makefile) {
      this.err(formatDiagnostics(mk.diagnostics, () => fs.readFileSync(mkPath, 'utf8')));
      this.err('make: stopped\n');
      process.exit(2);
    }
    const { kmod, srcs } = mk.makefile;
    const files = srcs.map((s) => {
      const p = absolutePath(this.host, s);
      if (!fs.existsSync(p)) throw new UserError(`make: don't know how to make ${s}. Stop`, 2);
      return { path: s, text: fs.readFileSync(p, 'utf8') };
    });
    const { built } = currentKernel(this.host, located);
    const r = compileKernel(files, { arch: located.config.arch, os: 'freebsd' }, nodeSysroot(), {
      headers: [{ path: 'sys/sysproto.h', text: sysprotoText(built.master ?? stockMaster()) }],
      textBase: moduleTextBase(kmod),
      module: `${kmod}.ko`,
    });
    for (const f of srcs) this.out(`cc -O2 -pipe -fno-common -D_KERNEL -DKLD_MODULE -nostdinc -I. -c ${f} -o ${f.replace(/\.c$/, '.o')}\n`);
    const text = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f));
    if (text) this.err(text);
    if (!r.image) {
      this.err(`*** Error code 1\n\nStop.\nmake: stopped in ${this.host.cwd()}\n`);
      process.exit(1);
    }
    const image = r.image.replace(/("module":")vmlinux(")/g, `$1${kmod}.ko$2`);
    if (!/"__ksim_module_/.test(image)) {
      this.err(`${kmod}.ko: warning: no DECLARE_MODULE: kldload will refuse it\n`);
    }
    this.out(`ld -m elf_x86_64_fbsd -d -warn-common --build-id=sha1 -r -o ${kmod}.ko ${srcs.map((s) => s.replace(/\.c$/, '.o')).join(' ')}\n`);
    fs.writeFileSync(absolutePath(this.host, `${kmod}.ko`), image);
  }
}

// `ksim syscalls [--json]`: the machine's syscall table from its rows: number, name, entry point,
// signature, support level and note.
import { Flags } from '@oclif/core';
import { KsimCommand } from '../cli/base.js';
import { currentKernel } from '../cli/session.js';
import { machineRows } from '../machine/boot.js';
import { linuxSignature } from '../kernel/linux/signatures.js';
import { linuxI386Signature } from '../kernel/linux/signatures-i386.js';
import type { SyscallRow } from '../kernel/syscall-row.js';

export function signatureText(r: SyscallRow): string {
  if (r.args.length === 0 && r.support === 'enosys' && !r.custom) return `${r.name}(?)`;
  return `${r.name}(${r.args.map((a) => `${a.ctype}${a.ctype.endsWith('*') ? '' : ' '}${a.name}`).join(', ')})`;
}

export default class Syscalls extends KsimCommand {
  static override description = "List the machine's syscall table";
  static override examples = ['<%= config.bin %> syscalls', '<%= config.bin %> syscalls --json | jq ".[] | select(.custom)"', '<%= config.bin %> syscalls --implemented'];
  static override flags = {
    json: Flags.boolean({ description: 'print the rows as JSON' }),
    implemented: Flags.boolean({ description: 'only rows with a handler (not ENOSYS)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Syscalls);
    const located = this.machine(flags.machine);
    const { built, warning } = currentKernel(this.host, located);
    if (warning) this.err(warning);
    const i386 = located.config.arch === 'i386';
    let rows = machineRows(located.config, built, {
      signature: i386 ? linuxI386Signature : linuxSignature,
      hasExtraHandler: (entry) => !!built.tsParams?.[entry],
    });
    if (flags.implemented) rows = rows.filter((r) => r.support !== 'enosys');
    if (flags.json) {
      this.out(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    const lines = [`${'NR'.padStart(4)}  ${'ABI'.padEnd(6)}  ${'NAME'.padEnd(24)}  ${'SUPPORT'.padEnd(7)}  SIGNATURE / NOTE`];
    for (const r of rows) {
      const what = r.support === 'enosys' ? `ENOSYS: ${r.note}` : signatureText(r) + (r.note ? `  [${r.note}]` : '');
      lines.push(`${String(r.nr).padStart(4)}  ${r.abi.padEnd(6)}  ${(r.name + (r.custom ? ' *' : '')).padEnd(24)}  ${r.support.padEnd(7)}  ${what}`);
    }
    lines.push('', `${rows.length} rows; ${rows.filter((r) => r.support !== 'enosys').length} implemented; * = custom`);
    this.out(lines.join('\n') + '\n');
  }
}

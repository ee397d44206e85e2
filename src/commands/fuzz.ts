// `ksim fuzz syscalls [--count N] [--seed S]`: runs the syscall fuzzer (src/fuzz/syscalls.ts) on an
// in-memory machine and prints a summary line; each finding is printed with its seed and a minimal
// C reproducer (also written to ksim-fuzz-SEED-N.c with --out DIR). Exit 1 on findings.
import { Args, Flags } from '@oclif/core';
import { KsimCommand, UserError } from '../cli/base.js';
import { fuzzSyscalls } from '../fuzz/syscalls.js';
import { fuzzMachineFactory } from '../fuzz/fuzz-machine.js';

export default class Fuzz extends KsimCommand {
  static override description = 'Fuzz the emulated kernel: random syscalls from several processes, checked after every call';
  static override examples = ['<%= config.bin %> fuzz syscalls --count 20000 --seed 42', '<%= config.bin %> fuzz syscalls --count 1000000'];
  static override args = { target: Args.string({ description: 'what to fuzz (syscalls)', required: true }) };
  static override flags = {
    count: Flags.integer({ description: 'number of syscalls to make', default: 20000, min: 1 }),
    seed: Flags.integer({ description: 'random seed (the run is deterministic from it)', default: 1 }),
    processes: Flags.integer({ description: 'most fuzzed processes alive at once', default: 16, min: 1 }),
    out: Flags.string({ description: 'directory where reproducers are written as ksim-fuzz-SEED-N.c' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Fuzz);
    if (args.target !== 'syscalls') throw new UserError(`unknown fuzz target '${args.target}' (known: syscalls)`, 2);
    const boot = fuzzMachineFactory();
    const start = performance.now();
    const r = fuzzSyscalls({ count: flags.count, seed: flags.seed, boot, maxTasks: flags.processes, nowMs: () => performance.now() });
    const secs = (performance.now() - start) / 1000;
    r.findings.forEach((f, i) => {
      this.out(`finding ${i + 1}: ${f.kind}: ${f.message} (seed ${f.seed}, epoch ${f.epoch}, ${f.calls.length} calls)\n${f.reproducer}\n`);
      if (flags.out) this.host.fs.writeFile(`${flags.out}/ksim-fuzz-${f.seed}-${i + 1}.c`, f.reproducer);
    });
    this.out(`${r.syscalls} syscalls, ${r.findings.length} findings (seed ${r.seed})\n`);
    this.err(`${Math.round(r.syscalls / secs)} syscalls/s; ${r.successes} succeeded, ${r.errors} failed, ${r.blocked} blocked, ${r.forks} forks, ${r.deaths} processes ended\n`);
    process.exit(r.findings.length ? 1 : 0);
  }
}

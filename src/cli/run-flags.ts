// The flags of the commands that run a program on the machine (`ksim run`, `ksim shell`): limits and
// the mount of the current directory. Kept apart from program.ts so the start-up fast path of
// `ksim run` (src/cli/fast-run.ts) can use program.ts without loading oclif.
import { Flags } from '@oclif/core';

export const runFlags = {
  ro: Flags.boolean({ description: 'mount the current directory read-only' }),
  'no-mount': Flags.boolean({ description: 'do not mount the current directory (the program sees only the emulated file system)' }),
  'cpu-limit': Flags.integer({ description: 'CPU budget in million emulated instructions (SIGXCPU, then SIGKILL at +25%)', default: 4000 }),
  'mem-limit': Flags.integer({ description: 'memory limit per process in MiB (brk/mmap fail with ENOMEM)', default: 512 }),
  'max-procs': Flags.integer({ description: 'most processes alive at once (fork fails with EAGAIN)', default: 256 }),
  timeout: Flags.integer({ description: 'wall-clock limit in seconds for the whole run (0: none)', default: 0 }),
  uid: Flags.integer({ description: 'run as this user id (default 0, root)', default: 0 }),
};

// `ksim fuzz syscalls` on the command line: the summary line, the exit status, a bad target.
import { describe, expect, it } from 'vitest';
import * as os from 'node:os';
import { ksimCli } from '../helpers/cli.js';

describe('ksim fuzz', () => {
  it('prints the summary line and exits 0 without findings', () => {
    const r = ksimCli(['fuzz', 'syscalls', '--count', '500', '--seed', '3'], os.tmpdir());
    expect(r.stdout).toBe('500 syscalls, 0 findings (seed 3)\n');
    expect(r.stderr).toMatch(/^\d+ syscalls\/s; \d+ succeeded, \d+ failed, \d+ blocked, \d+ forks, \d+ processes ended\n$/);
    expect(r.status).toBe(0);
  }, 60_000);

  it('rejects an unknown target', () => {
    const r = ksimCli(['fuzz', 'network'], os.tmpdir());
    expect(r.stderr).toBe("ksim fuzz: unknown fuzz target 'network' (known: syscalls)\n");
    expect(r.status).toBe(2);
  }, 60_000);
});

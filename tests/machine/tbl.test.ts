// The syscall table data and the .tbl format: stock tables of several releases, parsing edited
// tables, and the errors a reader of the tutorial can make.
import { describe, expect, it } from 'vitest';
import { parseTbl, stockRows, writeTbl, nextFreeNumber } from '../../src/machine/tbl.js';
import { compareReleases, presentIn } from '../../src/machine/release.js';

const nrOf = (release: string, name: string) => stockRows('x86_64', release).find((r) => r.name === name && r.abi !== 'x32')?.nr;

describe('stock tables', () => {
  it('has Linux numbers that never change, appearing in the release that added them', () => {
    expect(nrOf('2.6.32', 'read')).toBe(0);
    expect(nrOf('2.6.32', 'write')).toBe(1);
    expect(nrOf('4.8', 'pkey_mprotect')).toBeUndefined();
    expect(nrOf('4.9', 'pkey_mprotect')).toBe(329);
    expect(nrOf('6.12', 'pkey_mprotect')).toBe(329);
    expect(nrOf('5.0', 'io_uring_setup')).toBeUndefined();
    expect(nrOf('5.1', 'io_uring_setup')).toBe(425);
    expect(nrOf('5.13', 'quotactl_fd')).toBeUndefined();
    expect(nrOf('5.14', 'quotactl_fd')).toBe(443);
    expect(nrOf('2.6.32', 'getrandom')).toBeUndefined();
    expect(nrOf('3.17', 'getrandom')).toBe(318);
  });

  it('makes the table of 4.7.1 end at 328 (the tutorial) and 6.12 at 462', () => {
    const native = (rel: string) => Math.max(...stockRows('x86_64', rel).filter((r) => r.abi !== 'x32').map((r) => r.nr));
    expect(native('4.7.1')).toBe(328);
    expect(native('6.12')).toBe(462);
    expect(stockRows('x86_64', '4.7.1').filter((r) => r.abi === 'x32').map((r) => r.nr)).toContain(547);
  });

  it('writes the kernel format: tab-separated rows after a comment header', () => {
    const text = writeTbl('x86_64', '4.7.1');
    expect(text.split('\n').slice(0, 8)).toEqual([
      '#',
      '# 64-bit system call numbers and entry vectors',
      '#',
      '# The format is:',
      '# <number> <abi> <name> <entry point>',
      '#',
      '# The abi is "common", "64" or "x32" for this file.',
      '#',
    ]);
    expect(text).toContain('\n0\tcommon\tread\tsys_read\n');
    expect(text).toContain('\n328\t64\tpwritev2\tsys_pwritev2\n');
    expect(text).not.toContain('pkey_mprotect');
    const parsed = parseTbl(text, 'syscall_64.tbl', 'x86_64');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.rows.length).toBe(stockRows('x86_64', '4.7.1').length);
  });

  it('writes the i386 table of 2.6.32', () => {
    const text = writeTbl('i386', '2.6.32');
    expect(text).toContain('\n4\ti386\twrite\tsys_write\n');
    expect(text).toContain('\n1\ti386\texit\tsys_exit\n');
  });

  it('compares releases numerically', () => {
    expect(compareReleases('4.10', '4.9')).toBeGreaterThan(0);
    expect(compareReleases('2.6.32', '2.6.9')).toBeGreaterThan(0);
    expect(presentIn('<=2.6.32', '2.6.32')).toBe(true);
  });
});

describe('parsing an edited table', () => {
  const base = writeTbl('x86_64', '6.12');

  it('names the owner of a taken number and the next free number, with file and line', () => {
    const text = base + '329\tcommon\tstephen\tsys_stephen\n';
    const r = parseTbl(text, 'arch/x86/entry/syscalls/syscall_64.tbl', 'x86_64');
    const line = text.split('\n').length - 1;
    const ownerLine = text.split('\n').findIndex((l) => l.startsWith('329\t')) + 1;
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        loc: { file: 'arch/x86/entry/syscalls/syscall_64.tbl', line, col: 1 },
        message: `syscall number 329 is already used by 'pkey_mprotect' (arch/x86/entry/syscalls/syscall_64.tbl:${ownerLine}); the next free number is 463`,
      },
    ]);
  });

  it('accepts a new number and reports malformed rows', () => {
    const r = parseTbl(base + '463\tcommon\tstephen\tsys_stephen\n', 't.tbl', 'x86_64');
    expect(r.diagnostics).toEqual([]);
    expect(r.rows.at(-1)).toEqual({ nr: 463, abi: 'common', name: 'stephen', entry: 'sys_stephen', line: base.split('\n').length });
    const bad = parseTbl('0\tcommon\tread\tsys_read\nabc\tcommon\tx\tsys_x\n1\tcommon\n2\tweird\topen\tsys_open\n', 't.tbl', 'x86_64');
    expect(bad.diagnostics.map((d) => `${d.loc!.line}:${d.loc!.col}: ${d.message}`)).toEqual([
      "2:1: malformed row: 'abc' is not a syscall number",
      "3:1: malformed row: expected '<number> <abi> <name> [<entry point>]', found 2 columns",
      "4:3: unknown ABI 'weird' (expected 'common', '64', 'x32')",
    ]);
  });

  it('lets x32 rows share numbers with 64-bit-only rows but not with common ones', () => {
    expect(parseTbl('13\t64\trt_sigaction\tsys_rt_sigaction\n13\tx32\tfoo\tsys_foo\n', 't', 'x86_64').diagnostics).toEqual([]);
    expect(parseTbl('0\tcommon\tread\tsys_read\n0\tx32\tfoo\tsys_foo\n', 't', 'x86_64').diagnostics).toHaveLength(1);
  });

  it('suggests one past the highest native number', () => {
    expect(nextFreeNumber([{ nr: 0, abi: 'common' }, { nr: 12, abi: '64' }, { nr: 600, abi: 'x32' }], 0)).toBe(13);
  });
});

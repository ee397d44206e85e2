// `ksim env`: the shell functions it prints, and a host shell (sh) that evals them and then runs
// the tools under their own names in a machine's directory; `--unset` takes them away again.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { envText, shQuote } from '../../src/cli/env.js';

const bin = path.resolve(import.meta.dirname, '../../bin/run.js');
let dir = '';

function ksim(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-env-'));
  expect(ksim(['init', 'm'], work).status).toBe(0);
  dir = path.join(work, 'm');
  fs.writeFileSync(path.join(dir, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello"); return 3; }\n');
  expect(ksim(['cc', '-o', 'hello', 'hello.c']).status).toBe(0);
}, 120_000);

describe('ksim env', () => {
  it('prints one function per tool, each calling this ksim', () => {
    const r = ksim(['env']);
    const call = `${shQuote(process.execPath)} ${shQuote(bin)}`;
    expect(r.stdout).toBe(
      '# ksim tools under their own names, for this shell only: eval "$(ksim env)"\n' +
        ['strace', 'ktrace', 'kdump', 'dtrace', 'dmesg', 'kldload', 'kldunload', 'kldstat'].map((n) => `${n}() { ${call} ${n} "$@"; }\n`).join(''),
    );
    expect(r.stdout).toBe(envText([process.execPath, bin]));
    expect(ksim(['env', '--unset']).stdout).toBe('unset -f strace ktrace kdump dtrace dmesg kldload kldunload kldstat\n');
  });

  it('quotes what the shell would split', () => {
    expect(envText(["/opt/my node/node", "/it's/run.js"]).split('\n')[1]).toBe(`strace() { '/opt/my node/node' '/it'\\''s/run.js' strace "$@"; }`);
  });

  it('after eval, the tools answer to their own names in the host shell; --unset removes them', () => {
    const ksimCall = `${shQuote(process.execPath)} ${shQuote(bin)}`;
    const script = [
      `eval "$(${ksimCall} env)"`,
      'strace -e trace=write ./hello; echo "status $?"',
      'ktrace -t c ./hello >/dev/null; kdump | grep -c "CALL  write"',
      'command -v strace',
      `eval "$(${ksimCall} env --unset)"`,
      '[ "$(command -v strace)" = strace ] || echo gone',
    ].join('\n');
    const r = spawnSync('/bin/sh', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
    expect(r.stderr).toBe('write(1, "hello\\n", 6)                  = 6\n+++ exited with 3 +++\n');
    expect(r.stdout).toBe('hello\nstatus 3\n1\nstrace\ngone\n');
  });
});

// The README's 60-second tutorial, run as a reader pastes it (bash, with `ksim` on PATH), so the
// front door stays true: each command succeeds and shows what the README's comments promise; the
// error shown for today's release is the one `ksim build` prints, byte for byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KSIM_BIN } from '../helpers/cli.js';

const README = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The body of the first fenced block of `lang` after the heading. */
function block(heading: string, lang: string): string {
  const at = README.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const start = README.indexOf('```' + lang + '\n', at) + lang.length + 4;
  return README.slice(start, README.indexOf('```', start));
}

let work = '';
function bash(script: string) {
  const r = spawnSync('bash', ['-e', '-c', script], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, KSIM_MACHINE: '', PATH: `${path.join(work, 'bin')}${path.delimiter}${process.env.PATH}` },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-readme-'));
  fs.mkdirSync(path.join(work, 'bin'));
  fs.writeFileSync(path.join(work, 'bin', 'ksim'), `#!/bin/sh\nexec "${process.execPath}" "${KSIM_BIN}" "$@"\n`, { mode: 0o755 });
});

describe("the README's 60-second tutorial", () => {
  it('runs as pasted and shows what its comments say', () => {
    const r = bash(block('## The 60-second tutorial', 'sh'));
    expect(r.status, r.out).toBe(0);
    for (const promised of [
      'BIND    329 stephen -> sys_stephen',
      'Making system call with "Hello World!".\nSystem call returned 0.\n',
      '] stephen syscall called with "Hello World!"\n',
      'stephen("hi")',
      'RET   stephen 0\n',
      'hi\nMaking system call with "hi".\nSystem call returned 0.\n',
    ]) expect(r.out).toContain(promised);
    // The string's address depends on the environment's size (the README's is a typical shell's).
    expect(r.out).toMatch(/ CALL  stephen\(0x7fffffffe[0-9a-f]{3}\)\n/);
  }, 120_000);

  it('the FreeBSD module block runs from the repository root as pasted', () => {
    fs.symlinkSync(path.resolve(import.meta.dirname, '../../examples'), path.join(work, 'examples'));
    const script = block('### FreeBSD: a syscall in a loadable module', 'sh');
    // Its last command leaves slot 211 nosys; the run after it dies of SIGSYS, as the comment says.
    const r = bash(`${script}\nksim run ./use_counter || echo "status $?"`);
    expect(r.status, r.out).toBe(0);
    for (const promised of [
      'counter loaded at 211\n',
      '5\n42\n-1 Invalid argument\n',
      'CALL  counter_add(0x5)\n',
      'RET   counter_add 47/0x2f\n',
      'counter unloaded\n',
      'status 140\n',
    ]) expect(r.out).toContain(promised);
  }, 120_000);

  it("today's release: the build error is the one shown", () => {
    const r = bash(`ksim init today >/dev/null && cd today && printf '329\\tcommon\\tstephen\\tsys_stephen\\n' >> arch/x86/entry/syscalls/syscall_64.tbl && ! ksim build`);
    expect(r.status, r.out).toBe(0);
    const shown = block("On a machine of today's release", '');
    expect(r.out).toBe(shown);
  }, 60_000);
});

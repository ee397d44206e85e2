// `ksim shell` driven through a pseudo-terminal (Python's pty module, tests/shell/pty-driver.py):
// the prompt, keys typed with echo and erase, ^C interrupting `sleep 100` and a busy loop (SIGINT to
// the foreground process group; the prompt comes back and $? is 130) while a background command
// lives on, ^C ending `dtrace -c` (it prints its aggregation, as dtrace does on ^C), ^C abandoning
// a half-typed line, and ^D ending the shell. Skipped, saying so in its name, when the host has no python3 with pty.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { drive as driveIn, initMachine, KSIM, ptyUnavailable, type Step } from './pty-harness.js';

const bin = KSIM;
const why = ptyUnavailable();
let dir = '';
const drive = (steps: Step[]) => driveIn(dir, steps);

beforeAll(() => {
  if (why) return;
  const r = initMachine('ksim-pty-');
  expect(r.status).toBe(0);
  dir = r.dir;
  fs.writeFileSync(path.join(dir, 'spin.c'), 'int main(void) { for (;;) ; }\n');
  const c = spawnSync(process.execPath, [bin, 'cc', '-o', 'spin', 'spin.c'], { cwd: dir, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
  expect(c.status).toBe(0);
}, 60_000);

describe('ksim shell on a pseudo-terminal', () => {
  it.skipIf(why)(why ? `SKIPPED: ${why}` : '^C interrupts sleep 100, a busy loop and a half-typed line; ^D exits', () => {
    const started = Date.now();
    const prompt = `root@ksim:${dir}# `;
    const r = drive([
      { expect: prompt },
      { send: 'sleep 100\r' },
      { expect: 'sleep 100\r\n' },
      { sleep: 1.5 },
      { send: '\x03' },
      { expect: prompt, timeout: 10 },
      { send: 'echo back $?\r' },
      { expect: prompt },
      { send: 'sleep 3 & sleep 100\r' },
      { expect: 'sleep 100\r\n' },
      { sleep: 1 },
      { send: '\x03' },
      { expect: prompt, timeout: 10 },
      { send: 'wait $!; echo bg $?\r' },
      { expect: prompt },
      { send: './spin\r' },
      { expect: './spin\r\n' },
      { sleep: 1.5 },
      { send: '\x03' },
      { expect: prompt, timeout: 10 },
      { send: 'echo spun $?\r' },
      { expect: prompt },
      { send: `dtrace -n 'syscall::nanosleep:entry { @[execname] = count(); }' -c 'sleep 100'\r` },
      { expect: 'matched 1 probe\r\n' },
      { sleep: 1.5 },
      { send: '\x03' },
      { expect: prompt, timeout: 10 },
      { send: 'echo hlf\x7f\x7fal' },
      { expect: 'al' },
      { send: '\x03' },
      { expect: prompt },
      { send: 'echo abx\x7fc\r' },
      { expect: prompt },
      { send: '\x04' },
      { expect: 'exit\r\n' },
    ]);
    expect(r.failed).toBe(null);
    expect(r.transcript).toBe(
      `${prompt}sleep 100\r\n^C\r\n` +
        `${prompt}echo back $?\r\nback 130\r\n` +
        `${prompt}sleep 3 & sleep 100\r\n^C\r\n` +
        `${prompt}wait $!; echo bg $?\r\nbg 0\r\n` +
        `${prompt}./spin\r\n^C\r\n` +
        `${prompt}echo spun $?\r\nspun 130\r\n` +
        `${prompt}dtrace -n 'syscall::nanosleep:entry { @[execname] = count(); }' -c 'sleep 100'\r\n` +
        `dtrace: description 'syscall::nanosleep:entry ' matched 1 probe\r\n^C\r\n` +
        `  sleep${' '.repeat(61)}1\r\n\r\n` +
        `${prompt}echo hlf\b \b\b \bal^C\r\n` +
        `${prompt}echo abx\b \bc\r\nabc\r\n` +
        `${prompt}exit\r\n`,
    );
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 130_000);
});

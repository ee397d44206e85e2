// ksim's /bin/sh control flow at `ksim shell` on a pseudo-terminal (tests/shell/pty-driver.py): a
// `for` typed over three lines with the `> ` prompt between them, as dash prompts; ^C stopping a
// `while` loop of sleeps and a loop of builtins (the loop ends, the prompt comes back, $? is 130).
// Skipped, saying so in its name, when the host has no python3 with pty.
import { beforeAll, describe, expect, it } from 'vitest';
import { drive as driveIn, initMachine, ptyUnavailable, type Step } from '../shell/pty-harness.js';

const why = ptyUnavailable();
let dir = '';
const drive = (steps: Step[]) => driveIn(dir, steps);

beforeAll(() => {
  if (why) return;
  const r = initMachine('ksim-sh-pty-');
  expect(r.status).toBe(0);
  dir = r.dir;
}, 60_000);

describe('sh control flow on a terminal', () => {
  it.skipIf(why)(why ? `SKIPPED: ${why}` : 'prompts > for the lines of a for loop; ^C ends a while loop', () => {
    const prompt = `root@ksim:${dir}# `;
    const r = drive([
      { expect: prompt },
      { send: 'for i in 1 2\r' },
      { expect: '\r\n> ' },
      { send: 'do echo x$i\r' },
      { expect: '\r\n> ' },
      { send: 'done\r' },
      { expect: prompt },
      { send: 'while true; do sleep 100; done\r' },
      { expect: 'done\r\n' },
      { sleep: 1.5 },
      { send: '\x03' },
      { expect: prompt, timeout: 10 },
      { send: 'echo loop $?\r' },
      { expect: prompt },
      { send: 'while :; do :; done; echo not reached\r' },
      { expect: 'reached\r\n' },
      { sleep: 1.5 },
      { send: '\x03' },
      { expect: prompt, timeout: 10 },
      { send: 'echo spun $?\r' },
      { expect: prompt },
      { send: '\x04' },
      { expect: 'exit\r\n' },
    ]);
    expect(r.failed).toBe(null);
    expect(r.transcript).toBe(
      `${prompt}for i in 1 2\r\n> do echo x$i\r\n> done\r\nx1\r\nx2\r\n` +
        `${prompt}while true; do sleep 100; done\r\n^C\r\n` +
        `${prompt}echo loop $?\r\nloop 130\r\n` +
        `${prompt}while :; do :; done; echo not reached\r\n^C\r\n` +
        `${prompt}echo spun $?\r\nspun 130\r\n` +
        `${prompt}exit\r\n`,
    );
    expect(r.status).toBe(0);
  }, 130_000);
});

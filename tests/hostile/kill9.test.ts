// Durability: a `ksim run` killed with SIGKILL in the middle of a run leaves every kernel log record
// written before it readable (kmsg.ndjson: whole lines, consecutive sequence numbers), and dmesg
// still works. Runs bin/run.js from dist/ (built by `npm install`'s prepare step).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KSIM_BIN, ksimCli } from '../helpers/cli.js';
import { kmsgPath, readKmsgFile } from '../../src/kernel/log-store.js';

let dir = '';

const SYSCALL = `SYSCALL_DEFINE1(tick, long, n)
{
  printk(KERN_INFO "tick %ld\\n", n);
  return n;
}
`;

const PROGRAM = `#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
  for (long i = 0;; i++) syscall(SYS_tick, i);
}
`;

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-kill9-'));
  expect(ksimCli(['init', 'm'], work).status).toBe(0);
  dir = path.join(work, 'm');
  const tbl = path.join(dir, 'arch/x86/entry/syscalls/syscall_64.tbl');
  const used = new Set(fs.readFileSync(tbl, 'utf8').split('\n').map((l) => Number(l.split('\t')[0])));
  let nr = 440;
  while (used.has(nr)) nr++;
  fs.appendFileSync(tbl, `${nr}\tcommon\ttick\tsys_tick\n`);
  fs.writeFileSync(path.join(dir, 'kernel/tick.c'), SYSCALL);
  fs.writeFileSync(path.join(dir, 'tick.c'), PROGRAM);
  const b = ksimCli(['build'], dir);
  expect(b.stderr).toBe('');
  expect(b.status).toBe(0);
}, 120_000);

describe('kill -9 in the middle of a run', () => {
  it('leaves every log record before the kill readable', async () => {
    const child = spawn(process.execPath, [KSIM_BIN, 'run', '--cpu-limit', '100000', 'tick.c'], { cwd: dir, env: { ...process.env, KSIM_MACHINE: '' }, stdio: 'ignore' });
    const log = kmsgPath(dir);
    const deadline = Date.now() + 60_000;
    // Wait until the program has logged a good number of ticks, then kill it mid-stream.
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (fs.existsSync(log) && fs.statSync(log).size > 20_000) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode).toBe('SIGKILL');
    const text = fs.readFileSync(log, 'utf8');
    const ticks = readKmsgFile(log).filter((r) => r.text.startsWith('tick '));
    expect(ticks.length).toBeGreaterThan(100);
    // Every complete line is a record; only a torn last line (no newline) may be lost.
    const complete = text.slice(0, text.lastIndexOf('\n')).split('\n');
    for (const line of complete) expect(() => JSON.parse(line)).not.toThrow();
    ticks.forEach((r, i) => expect(r.text).toBe(`tick ${i}`));
    const seqs = readKmsgFile(log).map((r) => r.seq);
    seqs.forEach((s, i) => expect(s).toBe(seqs[0]! + i));
    const d = ksimCli(['dmesg'], dir);
    expect(d.status).toBe(0);
    expect(d.stdout).toContain(`tick ${ticks.length - 1}\n`);
  }, 120_000);

  it('a kernel left half-written by a killed build is detected (stock kernel, a warning) and rebuilt by ksim build', () => {
    const kernel = path.join(dir, '.ksim/kernel.json');
    const whole = fs.readFileSync(kernel);
    // What a build killed in the middle of writing would leave without write-then-rename.
    fs.writeFileSync(kernel, whole.subarray(0, whole.length >> 1));
    fs.writeFileSync(`${kernel}.tmp`, whole.subarray(0, 100));
    fs.writeFileSync(path.join(dir, 'once.c'), '#include <stdio.h>\n#include <unistd.h>\n#include <sys/syscall.h>\nint main(void) { printf("%ld\\n", syscall(SYS_tick, 7L)); return 0; }\n');
    const broken = ksimCli(['run', 'once.c'], dir);
    expect(broken.stderr).toContain("kernel was never built; running the stock");
    expect(broken.stdout).toBe('-1\n');
    const b = ksimCli(['build'], dir);
    expect(b.status).toBe(0);
    const fixed = ksimCli(['run', 'once.c'], dir);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toBe('7\n');
  }, 120_000);
});

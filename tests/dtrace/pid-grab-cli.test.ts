// `ksim dtrace -p PID` on the command line (bin/run.js from dist/): it grabs a process of another
// running ksim command on the same machine through the registry (src/cli/dtrace-registry.ts):
// that run answers with the process's image ($target's pid probes), enables the script on it, and
// says when it exits; dtrace then prints `dtrace: pid N has exited` and its aggregations. A pid no
// run has: "No such process", exit status 1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KSIM_BIN, ksimCli } from '../helpers/cli.js';

let work = '';
let dir = '';
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

// Prints its pid, waits (sleeping) until the file `go` exists, then works and exits.
const LOOP_C = `#include <stdio.h>
#include <unistd.h>
int work(int i) { return i * 2; }
int main(void) {
  int i, t = 0;
  printf("%d\\n", getpid());
  fflush(stdout);
  while (access("go", F_OK) != 0) usleep(20000);
  for (i = 0; i < 3; i++) t += work(i) + getpid() * 0;
  return t == 6 ? 0 : 1;
}
`;

// The same, but after its work it naps for a minute.
const NAP_C = `#include <stdio.h>
#include <unistd.h>
int main(void) {
  printf("%d\\n", getpid());
  fflush(stdout);
  while (access("go", F_OK) != 0) usleep(20000);
  getpid(); getpid(); getpid();
  printf("napping\\n");
  fflush(stdout);
  sleep(60);
  return 0;
}
`;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-grab-'));
  expect(ksimCli(['init', 'm'], work).status).toBe(0);
  dir = path.join(work, 'm');
  fs.writeFileSync(path.join(dir, 'loop.c'), LOOP_C);
  expect(ksimCli(['cc', '-o', 'loop', 'loop.c'], dir).stderr).toBe('');
  fs.writeFileSync(path.join(dir, 'nap.c'), NAP_C);
  expect(ksimCli(['cc', '-o', 'nap', 'nap.c'], dir).stderr).toBe('');
}, 120_000);

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  ended: Promise<number | null>;
  /** Resolves once stdout/stderr (which) has a complete line. */
  line(which: 'out' | 'err'): Promise<void>;
}

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const gone = new Promise((resolve) => c.on('exit', resolve));
    c.kill('SIGKILL');
    await gone;
  }
});

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [KSIM_BIN, ...args], { cwd: dir, env: { ...process.env, KSIM_MACHINE: '' } });
  running.push(child);
  const text = { out: '', err: '' };
  const waiters: { which: 'out' | 'err'; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiters.splice(0)) (text[w.which].includes('\n') ? w.resolve() : waiters.push(w));
  };
  child.stdout!.on('data', (d: Buffer) => { text.out += d.toString(); check(); });
  child.stderr!.on('data', (d: Buffer) => { text.err += d.toString(); check(); });
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child, ended,
    out: () => text.out,
    err: () => text.err,
    line: (which) => new Promise<void>((resolve) => { waiters.push({ which, resolve }); check(); }),
  };
}

describe('ksim dtrace -p PID', () => {
  it('grabs the process of a running `ksim run`: its syscalls and functions from the grab on, until it exits', async () => {
    fs.rmSync(path.join(dir, 'go'), { force: true });
    const run = start(['run', './loop']);
    await run.line('out');
    const pid = Number(run.out().trim());
    expect(pid).toBeGreaterThan(0);
    const dt = start(['dtrace', '-p', String(pid), '-n', [
      'syscall::getpid:entry,syscall::exit_group:entry /pid == $target/ { @[probefunc] = count(); }',
      'pid$target::work:entry { printf("%s %d", probemod, arg0); }',
      'pid$target::main:return { printf("main returned %d", arg1); }',
    ].join(' ')]);
    // The notice comes once the run has enabled the script.
    await dt.line('err');
    fs.writeFileSync(path.join(dir, 'go'), '');
    expect(await run.ended).toBe(0);
    expect(await dt.ended).toBe(0);
    expect(dt.err()).toBe(`dtrace: description 'syscall::getpid:entry,syscall::exit_group:entry ' matched 4 probes\ndtrace: pid ${pid} has exited\n`);
    const lines = dt.out().split('\n');
    expect(lines[0]).toBe('CPU     ID                    FUNCTION:NAME');
    expect(lines.slice(1, 5).map((l) => l.replace(/^ +0 +[0-9]+ /, ''))).toEqual([
      '                      work:entry loop 0',
      '                      work:entry loop 1',
      '                      work:entry loop 2',
      '                     main:return main returned 0',
    ]);
    expect(lines.slice(5).join('\n')).toBe(
      '\n' +
      '  exit_group                                                        1\n' +
      '  getpid                                                            3\n',
    );
    expect(fs.readdirSync(path.join(dir, '.ksim', 'dtrace'))).toEqual([]);
  }, 60_000);

  it('exit() ends dtrace at once; the process goes on untraced and the run lets the request go', async () => {
    fs.rmSync(path.join(dir, 'go'), { force: true });
    const run = start(['run', './loop']);
    await run.line('out');
    const pid = Number(run.out().trim());
    const dt = start(['dtrace', '-q', '-p', String(pid), '-n', 'pid$target::work:entry { printf("work %d of %d\\n", arg0, pid); exit(0); }']);
    // -q: no notice; the request is enabled once the run has written {"ga"} in the records file.
    const records = path.join(dir, '.ksim', 'dtrace', `${dt.child.pid}.records`);
    for (let i = 0; i < 600 && !(fs.existsSync(records) && fs.readFileSync(records, 'utf8').includes(`{"ga":${pid}}`)); i++) await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(path.join(dir, 'go'), '');
    expect(await dt.ended).toBe(0);
    expect(dt.out()).toBe(`work 0 of ${pid}\n\n`);
    expect(dt.err()).toBe('');
    expect(await run.ended).toBe(0);
    expect(run.err()).toBe('');
    expect(fs.readdirSync(path.join(dir, '.ksim', 'dtrace'))).toEqual([]);
  }, 60_000);

  it('^C while the process sleeps: the counts made so far (sent before the run blocked), the process sleeps on', async () => {
    fs.rmSync(path.join(dir, 'go'), { force: true });
    const run = start(['run', './nap']);
    await run.line('out');
    const pid = Number(run.out().trim());
    const dt = start(['dtrace', '-q', '-p', String(pid), '-n', 'syscall::getpid:entry /pid == $target/ { @calls = count(); }']);
    const records = path.join(dir, '.ksim', 'dtrace', `${dt.child.pid}.records`);
    for (let i = 0; i < 600 && !(fs.existsSync(records) && fs.readFileSync(records, 'utf8').includes(`{"ga":${pid}}`)); i++) await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(path.join(dir, 'go'), '');
    for (let i = 0; i < 600 && !run.out().includes('napping'); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // a few of the consumer's 25 ms polls
    dt.child.kill('SIGINT');
    expect(await dt.ended).toBe(0);
    expect(dt.out()).toBe('\n                3\n');
    expect(run.child.exitCode).toBe(null); // still asleep
  }, 60_000);

  it('a dtrace killed without unregistering: the run lets the process go at its next poll', async () => {
    fs.rmSync(path.join(dir, 'go'), { force: true });
    const run = start(['run', './loop']);
    await run.line('out');
    const pid = Number(run.out().trim());
    const dt = start(['dtrace', '-q', '-p', String(pid), '-n', 'pid$target::work:entry { printf("work %d\\n", arg0); }']);
    const records = path.join(dir, '.ksim', 'dtrace', `${dt.child.pid}.records`);
    for (let i = 0; i < 600 && !(fs.existsSync(records) && fs.readFileSync(records, 'utf8').includes(`{"ga":${pid}}`)); i++) await new Promise((r) => setTimeout(r, 50));
    const gone = new Promise((r) => dt.child.on('exit', r));
    dt.child.kill('SIGKILL');
    await gone;
    await new Promise((r) => setTimeout(r, 600)); // a few of the run's 100 ms polls
    fs.writeFileSync(path.join(dir, 'go'), '');
    expect(await run.ended).toBe(0);
    // Nothing after the enabling: the work() calls ran untraced.
    const text = fs.readFileSync(records, 'utf8');
    expect(text).toContain(`{"ga":${pid}}\n`);
    expect(text.slice(text.indexOf(`{"ga":${pid}}\n`) + `{"ga":${pid}}\n`.length)).toBe('');
  }, 60_000);

  it('a pid no running ksim command has: "No such process", exit status 1', () => {
    const r = ksimCli(['dtrace', '-p', '4242', '-n', 'syscall:::entry'], dir);
    expect(r).toEqual({ status: 1, stdout: '', stderr: 'dtrace: failed to grab pid 4242: No such process\n' });
  }, 30_000);
});

// `ksim dtrace` without -c on the command line (bin/run.js from dist/): a consumer started first
// sees the `ksim run`s made meanwhile on the same machine from other processes, until ^C (SIGINT)
// or exit(); a dead consumer's registration is dropped; with no consumer a run is unaffected.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KSIM_BIN, ksimCli } from '../helpers/cli.js';

let dir = '';
const workDirs: string[] = [];
afterAll(() => {
  for (const w of workDirs) fs.rmSync(w, { recursive: true, force: true });
});
const ksim = (args: string[]) => ksimCli(args, dir);

// Exactly two syscalls (write, exit), so the counts below are the program's, not libc's.
const HI = `	.text
	.globl _start
_start:
	movq $1, %rax
	movq $1, %rdi
	leaq msg(%rip), %rsi
	movq $3, %rdx
	syscall
	movq $60, %rax
	movq $0, %rdi
	syscall
	.data
msg:
	.ascii "hi\\n"
`;

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-systemwide-'));
  workDirs.push(work);
  expect(ksimCli(['init', 'm'], work).status).toBe(0);
  dir = path.join(work, 'm');
  fs.writeFileSync(path.join(dir, 'hi.s'), HI);
  const c = ksim(['cc', '-o', 'hi', 'hi.s']);
  expect(c.stderr).toBe('');
}, 120_000);

interface Consumer {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  ended: Promise<number | null>;
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

/** Starts `ksim dtrace ARGS` and resolves once it has printed its first stderr line (the notice). */
async function startConsumer(args: string[]): Promise<Consumer> {
  const child = spawn(process.execPath, [KSIM_BIN, 'dtrace', ...args], { cwd: dir, env: { ...process.env, KSIM_MACHINE: '' } });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Ready once it has registered (quiet consumers print no 'matched' notice to wait for).
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    const poll = setInterval(() => {
      if (registry().some((f) => f.startsWith(`${child.pid}.`))) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
    child.on('close', () => {
      clearInterval(poll);
      reject(new Error(`dtrace ended early: ${err}`));
    });
  });
  return { child, stdout: () => out, stderr: () => err, ended };
}

function registry(): string[] {
  try {
    return fs.readdirSync(path.join(dir, '.ksim/dtrace')).sort();
  } catch {
    return [];
  }
}

describe('ksim dtrace without -c', () => {
  it('counts the syscalls of two later runs by execname until ^C, as the FreeBSD tutorial does', async () => {
    const listed = ksim(['dtrace', '-l', '-n', 'syscall:::entry']);
    const entries = listed.stdout.trimEnd().split('\n').length - 1;
    expect(entries).toBeGreaterThan(300);

    const d = await startConsumer(['-n', 'syscall:::entry { @[execname] = count(); }']);
    expect(d.stderr()).toBe(`dtrace: description 'syscall:::entry ' matched ${entries} probes\n`);
    const pid = d.child.pid!;
    expect(registry()).toEqual([`${pid}.json`, `${pid}.records`]);
    for (let i = 0; i < 2; i++) {
      const r = ksim(['run', './hi']);
      expect(r.stdout).toBe('hi\n');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    d.child.kill('SIGINT');
    expect(await d.ended).toBe(0);
    // execve's entry fires while the process is still the ksim that runs it.
    expect(d.stdout()).toBe(
      '\n' +
      '  ksim                                                              2\n' +
      '  hi                                                                4\n',
    );
    expect(d.stderr()).toBe(`dtrace: description 'syscall:::entry ' matched ${entries} probes\n`);
    expect(registry()).toEqual([]);
  }, 60_000);

  it('prints records as the runs fire them, and ends at exit() with its status, END and printa', async () => {
    fs.writeFileSync(path.join(dir, 'w.d'), [
      'syscall::write:entry { printf("%s wrote %d bytes", execname, arg2); @bytes[execname] = sum(arg2); }',
      'syscall::exit:entry /arg0 == 0/ { @runs = count(); }',
      'syscall::write:entry /arg2 == 7/ { exit(3); }',
      'END { printa("%s: %@d bytes\\n", @bytes); }',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'seven.c'), '#include <unistd.h>\nint main(void) { write(1, "seven!\\n", 7); return 0; }\n');
    expect(ksim(['cc', '-o', 'seven', 'seven.c']).stderr).toBe('');
    const d = await startConsumer(['-s', 'w.d']);
    expect(ksim(['run', './hi']).stdout).toBe('hi\n');
    expect(ksim(['run', './hi']).stdout).toBe('hi\n');
    expect(ksim(['run', './seven']).stdout).toBe('seven!\n');
    expect(await d.ended).toBe(3);
    expect(d.stdout()).toBe(
      'CPU     ID                    FUNCTION:NAME\n' +
      '  0      6                      write:entry hi wrote 3 bytes\n' +
      '  0      6                      write:entry hi wrote 3 bytes\n' +
      '  0      6                      write:entry seven wrote 7 bytes\n' +
      '  0      6                      write:entry \n' +
      '  0      2                             :END hi: 6 bytes\n' +
      'seven: 7 bytes\n' +
      '\n' +
      '\n' +
      '                2\n',
    );
    expect(d.stderr()).toBe("dtrace: script 'w.d' matched 4 probes\n");
    expect(registry()).toEqual([]);
  }, 60_000);

  it('has the counts of a run that is still running, blocked in a sleep, at ^C', async () => {
    fs.writeFileSync(path.join(dir, 'napper.c'), '#include <unistd.h>\nint main(void) { getpid(); getpid(); getpid(); sleep(30); return 0; }\n');
    expect(ksim(['cc', '-o', 'napper', 'napper.c']).stderr).toBe('');
    const d = await startConsumer(['-x', 'quiet', '-n', 'syscall::getpid:entry { @calls = count(); } syscall::nanosleep:entry, syscall::clock_nanosleep:entry { printf("sleeping\\n"); }']);
    const run = spawn(process.execPath, [KSIM_BIN, 'run', './napper'], { cwd: dir, env: { ...process.env, KSIM_MACHINE: '' } });
    running.push(run);
    for (let waited = 0; !d.stdout().includes('sleeping') && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // a few of the consumer's 25 ms polls
    d.child.kill('SIGINT');
    expect(await d.ended).toBe(0);
    expect(d.stdout()).toBe('sleeping\n\n                3\n');
    expect(run.exitCode).toBe(null); // still asleep
  }, 60_000);

  it('an open ksim shell picks up a consumer started after it at its next command line', async () => {
    const shell = spawn(process.execPath, [KSIM_BIN, 'shell'], { cwd: dir, env: { ...process.env, KSIM_MACHINE: '' } });
    running.push(shell);
    let shellOut = '';
    shell.stdout!.on('data', (d: Buffer) => { shellOut += d.toString(); });
    const lines = async (n: number) => {
      for (let waited = 0; shellOut.split('\n').length - 1 < n && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(shellOut).toBe('hi\n'.repeat(n));
    };
    shell.stdin!.write('./hi\n');
    await lines(1); // before the consumer: not counted
    const d = await startConsumer(['-n', 'syscall::write:entry { @[execname] = count(); }']);
    shell.stdin!.write('./hi\n');
    await lines(2);
    shell.stdin!.write('./hi; ./hi\n');
    await lines(4);
    d.child.kill('SIGINT');
    expect(await d.ended).toBe(0);
    expect(d.stdout()).toBe('\n  hi                                                                3\n');
    shell.stdin!.end('exit\n');
  }, 90_000);

  it("ignores and removes a dead consumer's registration, and one whose pid now runs another program", async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    running.push(other);
    const reg = path.join(dir, '.ksim/dtrace');
    fs.mkdirSync(reg, { recursive: true });
    const spec = { inputs: [{ kind: 'probe', flag: 'n', text: 'syscall:::entry { printf("traced"); }' }], options: [], macroArgs: ['dtrace'], macroVars: {}, suppressNotices: false };
    for (const pid of [dead, other.pid!]) {
      fs.writeFileSync(path.join(reg, `${pid}.json`), JSON.stringify({ ksimDtrace: 1, pid, records: `${pid}.records`, spec }));
      fs.writeFileSync(path.join(reg, `${pid}.records`), '');
    }
    const r = ksim(['run', './hi']);
    expect(r).toEqual({ status: 0, stdout: 'hi\n', stderr: '' });
    expect(registry()).toEqual([]);
  });

  it('with no consumer, a run is unaffected and leaves no registry behind', () => {
    fs.rmSync(path.join(dir, '.ksim/dtrace'), { recursive: true, force: true });
    const r = ksim(['run', './hi']);
    expect(r).toEqual({ status: 0, stdout: 'hi\n', stderr: '' });
    expect(fs.existsSync(path.join(dir, '.ksim/dtrace'))).toBe(false);
  });
});

// Last in the file: it points `dir` (used by ksim() and startConsumer()) at a FreeBSD machine.
describe('ksim dtrace without -c on a FreeBSD machine', () => {
  const MODULE = `#include <sys/param.h>
#include <sys/module.h>
#include <sys/kernel.h>
#include <sys/systm.h>

static int
hello_modevent(module_t mod, int event, void *arg)
{
	if (event == MOD_LOAD)
		printf("hello loaded\\n");
	else if (event == MOD_UNLOAD)
		printf("hello unloaded\\n");
	return (0);
}

static moduledata_t hello_mod = { "hello", hello_modevent, NULL };
DECLARE_MODULE(hello, hello_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
`;

  it("sees kldload's and kldunload's module code (its printf through fbt::printk:entry)", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-systemwide-fb-'));
    workDirs.push(work);
    expect(ksimCli(['init', 'fb', '--os', 'freebsd'], work).status).toBe(0);
    dir = path.join(work, 'fb');
    fs.writeFileSync(path.join(dir, 'hello.c'), MODULE);
    fs.writeFileSync(path.join(dir, 'Makefile'), 'KMOD=\thello\nSRCS=\thello.c\n\n.include <bsd.kmod.mk>\n');
    expect(ksim(['make']).status).toBe(0);
    const d = await startConsumer(['-x', 'quiet', '-n', 'fbt::printk:entry { printf("%s: %s\\n", execname, stringof(arg1)); }']);
    expect(ksim(['kldload', './hello.ko']).stdout).toBe('hello loaded\n');
    expect(ksim(['kldunload', 'hello']).stdout).toBe('hello unloaded\n');
    d.child.kill('SIGINT');
    expect(await d.ended).toBe(0);
    expect(d.stdout()).toBe('kldload: hello loaded\nkldunload: hello unloaded\n\n');
  }, 90_000);
});

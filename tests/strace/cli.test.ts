// `ksim strace` on the command line (bin/run.js from dist/): -o FILE holds the same bytes strace
// prints on stderr, also past the command's 64 KiB write blocks, and -ff writes one file per process.
import { beforeAll, describe, expect, it } from 'vitest';
import { ksimCli } from '../helpers/cli.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let dir = '';
/** A finished call's line: the result at column 40. */
const line = (call: string, ret: string) => `${call} `.padEnd(40) + `= ${ret}`;
const ksim = (args: string[]) => ksimCli(args, dir);

/** 3000 getpid calls: about 140 KiB of trace, more than two of the command's write blocks. */
const LOOP = `#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
int main(int argc, char **argv) {
  long sum = 0;
  for (int i = 0; i < 3000; i++) sum += getpid();
  if (argc > 1) {
    pid_t child = fork();
    if (child == 0) { write(1, "child\\n", 6); _exit(3); }
    int status;
    waitpid(child, &status, 0);
  }
  printf("done %d\\n", sum > 0);
  return 0;
}
`;

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-strace-cli-'));
  expect(ksimCli(['init', 'm'], work).status).toBe(0);
  dir = path.join(work, 'm');
  fs.writeFileSync(path.join(dir, 'loop.c'), LOOP);
  const c = ksim(['cc', '-o', 'loop', 'loop.c']);
  expect(c.stderr).toBe('');
  expect(c.status).toBe(0);
}, 120_000);

describe('ksim strace -o', () => {
  it('writes to the file exactly what it prints on stderr without -o', () => {
    const onStderr = ksim(['strace', './loop']);
    expect(onStderr.status).toBe(0);
    expect(onStderr.stdout).toBe('done 1\n');
    const toFile = ksim(['strace', '-o', 'trace.txt', './loop']);
    expect(toFile.status).toBe(0);
    expect(toFile.stdout).toBe('done 1\n');
    expect(toFile.stderr).toBe('');
    const text = fs.readFileSync(path.join(dir, 'trace.txt'), 'utf8');
    // Each run is a new process of the machine: only getpid's results differ.
    const samePid = (t: string) => t.replace(/^(getpid\(\) +)= \d+$/gm, '$1= PID');
    expect(samePid(text)).toBe(samePid(onStderr.stderr));
    const lines = samePid(text).split('\n');
    expect(lines.filter((l) => l === line('getpid()', 'PID')).length).toBe(3000);
    expect(lines.slice(-4)).toEqual([line('write(1, "done 1\\n", 7)', '7'), line('exit_group(0)', '?'), '+++ exited with 0 +++', '']);
  }, 60_000);

  it('-ff: one file per process, each whole', () => {
    const r = ksim(['strace', '-ff', '-o', 'per', './loop', 'fork']);
    expect(r.status).toBe(0);
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('per.')).sort();
    expect(files.length).toBe(2);
    const [parent, child] = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(parent!.split('\n').filter((l) => l.startsWith('getpid()')).length).toBe(3000);
    expect(parent!.endsWith(`${line('exit_group(0)', '?')}\n+++ exited with 0 +++\n`)).toBe(true);
    expect(child).toBe(`${line('write(1, "child\\n", 6)', '6')}\n${line('exit_group(3)', '?')}\n+++ exited with 3 +++\n`);
  }, 60_000);
});

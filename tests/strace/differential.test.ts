// Differential harness: the project's own C programs (programs/*.c) are compiled with the host gcc
// and traced by the host's real strace (-f, a fixed -e trace= set, -s 64). The real output is parsed
// back into per-process call lists (unfinished/resumed joined, pids and addresses normalized, SIGCHLD
// whose timing races left out) and compared with the stored expectation programs/NAME.expected,
// written on the first run. The real lines are also checked against ksim's formatter rules: the `=`
// column, errno names and texts, and the signal and exit lines, rebuilt from parsed events by
// ksim's Strace. Then the same programs run under ksim's strace (compiled by ksim's cc, on the
// emulated kernel) and must give the same per-process lists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeTask, Harness } from './helpers.js';
import { linuxErrnoNumber } from '../../src/kernel/errno-linux.js';
import { printErrno, signalNumber } from '../../src/strace/decode/text.js';
import { parseStraceArgs, Strace } from '../../src/strace/index.js';
import { boot, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const PROGRAMS_DIR = join(import.meta.dirname, 'programs');
const TRACE_SET = 'openat,read,write,close,pipe2,dup2,wait4,kill,exit_group';

function hostHas(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

const HAVE_TOOLS = process.platform === 'linux' && process.arch === 'x64' && hostHas('gcc') && hostHas('strace');

interface Parsed {
  pid: number | undefined;
  body: string;
  raw: string;
}

/** Splits a line of strace -f output (to stderr) into its pid prefix and the rest. */
function splitPid(line: string): Parsed {
  const m = /^\[pid +(\d+)\] (.*)$/.exec(line);
  return m ? { pid: Number(m[1]), body: m[2]!, raw: line } : { pid: undefined, body: line, raw: line };
}

/** Joins `<unfinished ...>` / `<... name resumed>` and groups lines by process, pids normalized. */
export function perProcess(output: string): Map<string, string[]> {
  // The attach message can land inside a line; strace's stderr puts it there.
  const clean = output.replace(/strace: Process \d+ attached\n/g, '').split('\n').filter((l) => l !== '');
  const pids: number[] = [];
  for (const l of clean) {
    const p = splitPid(l).pid;
    if (p !== undefined && !pids.includes(p)) pids.push(p);
  }
  // The main process is the one that appears first without being a child (it forks the others).
  const main = pids.find((p) => clean.some((l) => l.includes(`wait4(${p},`)) === false) ?? pids[0];
  const order = main === undefined ? [] : [main, ...pids.filter((p) => p !== main)];
  const names = new Map(order.map((p, i) => [p, `P${i + 1}`]));
  const norm = (s: string) => s
    .replace(/\b\d{2,}\b/g, (d) => names.get(Number(d)) ?? d)
    .replace(/0x[0-9a-f]{8,}/g, '0xADDR');
  const groups = new Map<string, string[]>();
  const pending = new Map<string, string>();
  for (const l of clean) {
    const { pid, body } = splitPid(l);
    const who = pid === undefined ? 'P1' : names.get(pid)!;
    const list = groups.get(who) ?? [];
    groups.set(who, list);
    if (body.endsWith(' <unfinished ...>')) {
      pending.set(who, body.slice(0, -' <unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(body);
    let text = body;
    if (resumed) {
      text = (pending.get(who) ?? `${resumed[1]}(`) + resumed[2];
      pending.delete(who);
    }
    if (text.startsWith('--- SIGCHLD ')) continue;
    list.push(norm(text.replace(/\) +=/, ') =')));
  }
  return groups;
}

function formatGroups(groups: Map<string, string[]>): string {
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, ls]) => `== ${p}\n${ls.join('\n')}\n`).join('');
}

function traceReal(name: string, work: string): string {
  const exe = join(work, name);
  execFileSync('gcc', ['-static', '-O0', '-o', exe, join(PROGRAMS_DIR, `${name}.c`)]);
  const r = spawnSync('strace', ['-f', '-e', `trace=${TRACE_SET}`, '-s', '64', exe], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`strace ${name} failed: ${r.stderr}`);
  return r.stderr;
}

const PROGRAMS = readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();

describe.runIf(HAVE_TOOLS)('differential: the host strace on the project programs', () => {
  const work = HAVE_TOOLS ? mkdtempSync(join(tmpdir(), 'ksim-strace-')) : '';

  for (const name of PROGRAMS) {
    it(`${name}: the real strace output matches the stored expectation`, () => {
      const real = traceReal(name, work);
      const got = formatGroups(perProcess(real));
      const expectedPath = join(PROGRAMS_DIR, `${name}.expected`);
      if (!existsSync(expectedPath)) writeFileSync(expectedPath, got);
      expect(got).toBe(readFileSync(expectedPath, 'utf8'));
    });

    it(`${name}: real lines follow ksim's formatter rules (column, errnos, signal and exit lines)`, () => {
      const real = traceReal(name, work).replace(/strace: Process \d+ attached\n/g, '');
      let checked = 0;
      for (const line of real.split('\n')) {
        const { pid, body } = splitPid(line);
        const prefix = pid === undefined ? '' : `[pid ${String(pid).padStart(5)}] `;
        const call = /^(.*\)) +(= .*)$/.exec(body);
        if (call && !body.startsWith('<...') && !line.includes('attached')) {
          // `)` then a space, then spaces up to column 40.
          const head = prefix + call[1]!;
          const pad = head.length + 1 < 40 ? ' '.repeat(40 - head.length - 1) : '';
          expect(line).toBe(`${head} ${pad}${call[2]}`);
          const err = /^= -1 (E[A-Z0-9]+) (\(.*\))$/.exec(call[2]!);
          if (err) expect(`${err[1]} ${err[2]}`).toBe(printErrno(linuxErrnoNumber(err[1]!)!));
          checked++;
        }
        const sig = /^--- (SIG\w+) \{si_signo=\w+, si_code=(\w+), si_pid=(\d+), si_uid=(\d+)(?:, si_status=(\w+), si_utime=(\d+), si_stime=(\d+))?\} ---$/.exec(body);
        const exit = /^\+\+\+ (exited with (\d+)|killed by (SIG\w+)) \+\+\+$/.exec(body);
        if (sig || exit) {
          // Rebuild the event and let ksim's Strace print it.
          const h = new Harness({ followForks: true });
          const t = new FakeTask(pid ?? 1000);
          h.strace.attach(t);
          if (pid !== undefined) h.strace.attach(new FakeTask(pid + 100000));
          if (sig) {
            const codes: Record<string, number> = { SI_USER: 0, CLD_EXITED: 1, CLD_KILLED: 2 };
            const status = sig[5] === undefined ? undefined : /^\d+$/.test(sig[5]) ? Number(sig[5]) : signalNumber(sig[5])!;
            h.strace.signalDeliver({
              task: t, signo: signalNumber(sig[1]!)!, handler: 0, mask: 0, timeNs: 0,
              info: { code: codes[sig[2]!]!, pid: Number(sig[3]), uid: Number(sig[4]), status, utime: Number(sig[6] ?? 0), stime: Number(sig[7] ?? 0) },
            });
          } else {
            h.strace.exit(exit![2] !== undefined
              ? { task: t, code: Number(exit![2]), coreDumped: false, timeNs: 0 }
              : { task: t, signo: signalNumber(exit![3]!)!, coreDumped: false, timeNs: 0 });
          }
          expect(h.stderr).toBe(`${prefix}${body}\n`);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(3);
    });
  }

  for (const name of PROGRAMS) {
    it(`${name}: under ksim strace, the same per-process calls as the real strace`, () => {
      const expected = readFileSync(join(PROGRAMS_DIR, `${name}.expected`), 'utf8');
      const m = makeMachine();
      const b = boot(m);
      compileInto(b, `/bin/${name}`, readFileSync(join(PROGRAMS_DIR, `${name}.c`), 'utf8'));
      const parsed = parseStraceArgs(['-f', '-e', `trace=${TRACE_SET}`, '-s', '64', `/bin/${name}`]);
      if (!('options' in parsed)) throw new Error('bad strace arguments');
      let out = '';
      const strace = new Strace(parsed.options, b.machine.rows, { stderr: (t) => (out += t) });
      b.machine.kernel.attach(strace);
      runProgram(b.machine, [`/bin/${name}`]);
      strace.finish();
      expect(formatGroups(perProcess(out))).toBe(expected);
    });
  }
});

#!/usr/bin/env node
// The dtrace rows of `npm run bench` (issue #7): what a D script adds to each call of a C loop of
// syscall(SYS_getpid), measured so that a shared, busy machine does not decide the figure.
//
// Method:
//   - One process, one machine (booted once), the same compiled loop for every variant: start-up
//     and compilation never enter a difference.
//   - The variants: no script, an unrelated probe (`syscall::read:entry { }`, enabled but never
//     fired by the loop), `syscall::getpid:entry /pid == 0/ { }` (fires, predicate false) and
//     `syscall:::entry { @[probefunc] = count(); }`; and a control, no script measured as if it
//     were one, whose figure and spread show what the method reads where there is nothing to read.
//   - Interleaved: every run under a script sits between two runs without one (B V1 B V2 B V3 B V4
//     B V2 B ..., the order rotated from round to round), and its cost is its time minus the
//     mean of those two neighbours: a slow spell of the shared machine, the JIT's warming and the
//     heap's growth fall on both sides of the difference. A warm-up run of each first is not counted.
//   - A full garbage collection before each run, outside the timing: a run pays for its own
//     garbage, not for the previous run's.
//   - On CPU time (process.cpuUsage: user + system of this process) rather than wall time: time the
//     process spends waiting for a CPU that another program holds does not count. Wall time is
//     reported alongside.
//   - The figure per variant is the median of its differences (divided by the number of calls) over
//     the rounds, with the lowest and highest as the spread. Nothing is subtracted or scaled besides.
// Standalone: `node scripts/bench-dtrace.js [--quick] [--rounds N]` (needs `npm run build` first).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The loop's C source: n calls of syscall(SYS_getpid). */
export function getpidLoopSource(n) {
  return `#include <unistd.h>\n#include <sys/syscall.h>\nint main(void) { long s = 0; for (int i = 0; i < ${n}; i++) s += syscall(SYS_getpid); return s == 0; }\n`;
}

export const DTRACE_VARIANTS = [
  // The control: no script either, measured as the others are; its spread is the method's own noise.
  ['control: no script either', null],
  ['unrelated probe (syscall::read:entry)', 'syscall::read:entry { }'],
  ['syscall::getpid:entry /pid == 0/', 'syscall::getpid:entry /pid == 0/ { }'],
  ['@[probefunc] = count()', 'syscall:::entry { @[probefunc] = count(); }'],
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Measures the variants in the machine at mdir (which holds ./getpid, a loop of `loop` calls).
 * Returns { base: {cpu, wall} medians in seconds, rows: [{label, ns, min, max, wallNs, perRound}] }.
 */
export async function benchDtrace({ mdir, loop, rounds, log = () => {} }) {
  const { createNodeHost } = await import(path.join(root, 'dist/host/node.js'));
  const { locateMachine } = await import(path.join(root, 'dist/machine/locate.js'));
  const { openSession } = await import(path.join(root, 'dist/cli/session.js'));
  const { runProgram } = await import(path.join(root, 'dist/machine/boot.js'));
  const { KernelProbes } = await import(path.join(root, 'dist/dtrace/kernel-provider.js'));
  const { startDtrace } = await import(path.join(root, 'dist/dtrace/cli.js'));
  const cwd = process.cwd();
  process.chdir(mdir);
  const host = { ...createNodeHost(), stdout() {}, stderr() {} };
  const session = openSession(host, locateMachine(host));
  try {
    const m = session.machine;
    const k = m.kernel;
    // A full collection before each run (not timed): a run pays for its own garbage, not for the
    // previous run's (count() leaves much more than no script).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    /** One run of the loop: CPU and wall seconds. */
    const runLoop = () => {
      gc();
      const c = process.cpuUsage();
      const t = performance.now();
      const r = runProgram(m, ['./getpid']);
      const wall = (performance.now() - t) / 1e3;
      const d = process.cpuUsage(c);
      if (r.status !== 0) throw new Error(`getpid loop exited ${r.status}`);
      return { cpu: (d.user + d.system) / 1e6, wall };
    };
    /** One run under a script (compiled and enabled before the clock starts, ended after it stops). */
    const traced = (script) => {
      if (script === null) return runLoop();
      // As `ksim dtrace -c` makes it: with the machine (fbt and uregs[] available, none enabled here).
      const probes = new KernelProbes(m.rows, () => k.clock.uptimeNs(), { kernel: k, kc: m.kc });
      let err = '';
      const started = startDtrace(['-q', '-n', script], { catalog: probes.catalog, stdout() {}, stderr: (t) => void (err += t), readFile() { throw new Error('no files'); }, now: () => k.clock.uptimeNs(), targetPid: k.peekNextPid() });
      if (typeof started === 'number') throw new Error(`dtrace ${script}: ${err}`);
      probes.bind(started.session);
      k.attach(probes);
      try {
        return runLoop();
      } finally {
        k.detach(probes);
        started.finish();
      }
    };
    // The run order: B V B V B ... with every script run V between two no-script runs B.
    const order = [];
    for (let round = 0; round < rounds; round++) for (let j = 0; j < DTRACE_VARIANTS.length; j++) order.push((j + round) % DTRACE_VARIANTS.length);
    // A warm-up run of each, not counted.
    for (const [, script] of DTRACE_VARIANTS) {
      runLoop();
      traced(script);
    }
    const base = [runLoop()];
    const added = DTRACE_VARIANTS.map(() => ({ cpu: [], wall: [] }));
    for (const v of order) {
      const r = traced(DTRACE_VARIANTS[v][1]);
      const after = runLoop();
      const before = base[base.length - 1];
      base.push(after);
      added[v].cpu.push(((r.cpu - (before.cpu + after.cpu) / 2) / loop) * 1e9);
      added[v].wall.push(((r.wall - (before.wall + after.wall) / 2) / loop) * 1e9);
      log(`${DTRACE_VARIANTS[v][0]}: ${r.cpu.toFixed(3)} s CPU between ${before.cpu.toFixed(3)} and ${after.cpu.toFixed(3)} s`);
    }
    const rows = DTRACE_VARIANTS.map(([label], i) => {
      const perRound = added[i].cpu;
      return { label, ns: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound), wallNs: median(added[i].wall), perRound };
    });
    return { base: { cpu: median(base.map((r) => r.cpu)), wall: median(base.map((r) => r.wall)) }, rows };
  } finally {
    session.close();
    process.chdir(cwd);
  }
}

/** Prints the rows as bench.js prints its own. */
export function reportDtrace(res, loop, report) {
  const baseNs = (res.base.cpu / loop) * 1e9;
  report('6. dtrace: getpid loop with no script (in-process)', baseNs, 'ns per call', `median CPU time ${res.base.cpu.toFixed(3)} s, wall ${res.base.wall.toFixed(3)} s`);
  for (const r of res.rows) {
    const pct = (r.ns / baseNs) * 100;
    report(`6. dtrace: ${r.label}`, r.ns, 'ns added per call', `${pct.toFixed(1)}%; rounds ${r.min.toFixed(0)}..${r.max.toFixed(0)} ns; wall ${r.wallNs.toFixed(0)} ns`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const ri = process.argv.indexOf('--rounds');
  const rounds = ri > 0 ? Number(process.argv[ri + 1]) : quick ? 3 : 21;
  const loop = quick ? 100_000 : 1_000_000;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-bench-dtrace-'));
  try {
    const ksim = (args, cwd) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'run.js'), ...args], { cwd, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ksim ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    };
    ksim(['init', 'm', '--release', '6.12'], work);
    const mdir = path.join(work, 'm');
    fs.writeFileSync(path.join(mdir, 'getpid.c'), getpidLoopSource(loop));
    ksim(['cc', '-o', 'getpid', 'getpid.c'], mdir);
    const res = await benchDtrace({ mdir, loop, rounds, log: (t) => console.log(t) });
    const fmt = (name, value, unit, extra) => console.log(`${name.padEnd(58)} ${value.toFixed(value < 10 ? 3 : 0)} ${unit}${extra ? `  (${extra})` : ''}`);
    reportDtrace(res, loop, fmt);
    for (const r of res.rows) console.log(`  ${r.label}: per round ${r.perRound.map((x) => x.toFixed(0)).join(' ')} ns`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

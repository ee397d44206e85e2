// Probe matching (globs, omitted fields, -Z) and syscall-probe firing with a fake catalog and a fake
// TraceTask: args[] typed from the row's C types, copyinstr through readCString, faults on bad
// user addresses, per-probe enabled flags, and the default record layout.
import { describe, expect, test } from 'vitest';
import { DtraceSession } from '../../src/dtrace/consumer.js';
import { ListCatalog, dtraceProviderProbes, globMatch, splitProbeDescription, matchProbes, type ProbeInfo } from '../../src/dtrace/catalog.js';
import type { TraceTask } from '../../src/kernel/events.js';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const syscalls: ProbeInfo[] = [
  { id: 10, provider: 'syscall', module: '', func: 'read', name: 'entry', argTypes: ['unsigned int', 'char __user *', 'size_t'] },
  { id: 11, provider: 'syscall', module: '', func: 'read', name: 'return', argTypes: ['long'] },
  { id: 12, provider: 'syscall', module: '', func: 'open', name: 'entry', argTypes: ['const char __user *', 'int', 'umode_t'] },
  { id: 13, provider: 'syscall', module: '', func: 'open', name: 'return', argTypes: ['long'] },
  { id: 14, provider: 'syscall', module: '', func: 'openat', name: 'entry', argTypes: ['int', 'const char __user *', 'int', 'umode_t'] },
];

function fakeTask(mem: Record<number, string>): TraceTask {
  return {
    pid: 42, tid: 42, ppid: 1, uid: 1000, gid: 1000, comm: 'cat',
    readUser: (addr, len) => {
      const s = mem[Number(addr)];
      if (s === undefined) return null;
      return new TextEncoder().encode(s).slice(0, len);
    },
    readCString: (addr, max) => {
      const s = mem[Number(addr)];
      if (s === undefined) return null;
      const b = new TextEncoder().encode(s);
      return { bytes: b.slice(0, max), complete: b.length < max };
    },
    fdPath: () => undefined,
    userStack: () => [{ func: 'main', addr: 0x401000, module: 'cat' }],
  };
}

function session(text: string, flags: { quiet?: boolean; zdefs?: boolean } = {}) {
  let out = '';
  let err = '';
  const s = new DtraceSession({
    catalog: new ListCatalog([...dtraceProviderProbes(), ...syscalls]),
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
  });
  if (flags.quiet) s.options.set('quiet');
  if (flags.zdefs) s.options.set('zdefs');
  const e = s.compile([{ kind: 'script', name: 'x.d', text }], { macroArgs: ['x.d'] });
  return { s, e, out: () => out, err: () => err };
}

describe('probe descriptions', () => {
  test('fields are read right to left when omitted', () => {
    expect(splitProbeDescription('BEGIN')).toEqual({ provider: '', module: '', func: '', name: 'BEGIN' });
    expect(splitProbeDescription('read:entry')).toEqual({ provider: '', module: '', func: 'read', name: 'entry' });
    expect(splitProbeDescription('syscall::read:entry')).toEqual({ provider: 'syscall', module: '', func: 'read', name: 'entry' });
  });
  test('globs match whole fields', () => {
    expect(globMatch('openat', 'open*')).toBe(true);
    expect(globMatch('read', 'open*')).toBe(false);
    expect(globMatch('read', 're?d')).toBe(true);
    expect(globMatch('read', '[rs]ead')).toBe(true);
    expect(globMatch('read', '[!r]ead')).toBe(false);
    expect(globMatch('x', '[a-z]')).toBe(true);
    const cat = new ListCatalog(syscalls);
    expect(matchProbes(cat, splitProbeDescription('syscall::open*:entry')).map((p) => p.id)).toEqual([12, 14]);
    expect(matchProbes(cat, splitProbeDescription('syscall:::return')).map((p) => p.id)).toEqual([11, 13]);
    expect(matchProbes(cat, splitProbeDescription('read:')).map((p) => p.id)).toEqual([10, 11]);
    expect(matchProbes(cat, splitProbeDescription('rea:')).map((p) => p.id)).toEqual([]);
  });
  test('zero matches is D_PDESC_ZERO unless -Z', () => {
    expect(session('syscall::nosuch:entry {}').e).toBe('dtrace: failed to compile script x.d: line 1: probe description syscall::nosuch:entry does not match any probes\n');
    expect(session('syscall::nosuch:entry {}', { zdefs: true }).e).toBeUndefined();
  });
  test('profile probes are created on demand', () => {
    const { s, e } = session('profile:::tick-10ms { exit(0) }', { quiet: true });
    expect(e).toBeUndefined();
    s.enable();
    expect(s.nextTickNs()).toBe(10_000_000);
  });
});

describe('syscall probes', () => {
  test('enabled flags, typed args and copyinstr through the task', () => {
    const { s, e, out } = session('syscall::open*:entry /execname == "cat"/ { printf("%s %s %d %d\\n", probefunc, copyinstr(arg0), args[1], pid); }', { quiet: true });
    expect(e).toBeUndefined();
    const en = s.enable();
    expect(en.ok).toBe(true);
    expect([...s.enabledProbeIds()].sort()).toEqual([12, 14]);
    expect(s.isEnabled(10)).toBe(false);
    const task = fakeTask({ 0x1000: '/etc/passwd' });
    s.fire(12, { task, args: [0x1000, 2, 0] });
    expect(out()).toBe('open /etc/passwd 2 42\n');
  });
  test('args[] types come from the row: args[1] of openat is a user pointer', () => {
    const { e } = session('syscall::openat:entry { printf("%d", args[1]); }');
    expect(e).toContain('printf( ) argument #2 is incompatible with conversion #1 prototype');
    const bad = session('syscall::read:entry { trace(args[3]); }');
    expect(bad.e).toBe('dtrace: failed to compile script x.d: line 1: index 3 is out of range for syscall::read:entry args[ ]\n');
  });
  test('a bad user address faults the clause and names the probe', () => {
    const { s, out, err } = session('syscall::read:entry { trace(copyinstr(arg1)); }');
    s.enable();
    s.fire(10, { task: fakeTask({}), args: [3, 0xdead, 10] });
    expect(out()).toBe('');
    expect(err()).toContain('dtrace: error on enabled probe ID 1 (ID 10: syscall::read:entry): invalid address (0xdead) in action #1 at DIF offset');
  });
  test('default records: header once, then CPU, ID and FUNCTION:NAME', () => {
    const { s, out } = session('syscall::read:entry { trace(execname); } syscall::read:return { @[execname] = count(); }');
    expect(s.enable().messages).toBe("dtrace: script 'x.d' matched 2 probes\n");
    const task = fakeTask({});
    s.fire(10, { task, args: [0, 0, 0] });
    s.fire(11, { task, args: [5] });
    s.fire(11, { task, args: [5] });
    s.end();
    expect(out()).toBe(
      'CPU     ID                    FUNCTION:NAME\n' +
        '  0     10                       read:entry   cat                              \n' +
        '\n' +
        '  cat                                                               2\n',
    );
  });
  test('thread-local variables are per thread', () => {
    const { s, out } = session('self int n; syscall::read:entry { self->n++; } syscall::read:return { printf("%d %d\\n", tid, self->n); }', { quiet: true });
    s.enable();
    const a = fakeTask({});
    const b = { ...fakeTask({}), tid: 43 };
    s.fire(10, { task: a });
    s.fire(10, { task: a });
    s.fire(10, { task: b });
    s.fire(11, { task: a });
    s.fire(11, { task: b });
    expect(out()).toBe('42 2\n43 1\n');
  });
  test('destructive actions need the destructive option and call the host', () => {
    const { s } = session('syscall::read:entry { raise(9); }');
    expect(s.enable()).toEqual({ ok: false, messages: 'dtrace: could not enable tracing: Destructive actions not allowed\n' });
    const raised: number[][] = [];
    const s2 = new DtraceSession({ catalog: new ListCatalog([...dtraceProviderProbes(), ...syscalls]), stdout: () => {}, stderr: () => {}, destructive: { raise: (pid, sig) => raised.push([pid, sig]) } });
    s2.options.set('destructive');
    s2.options.set('quiet');
    expect(s2.compile([{ kind: 'script', name: 'x.d', text: 'syscall::read:entry { raise(9); }' }], { macroArgs: [] })).toBeUndefined();
    expect(s2.enable().ok).toBe(true);
    s2.fire(10, { task: fakeTask({}) });
    expect(raised).toEqual([[42, 9]]);
  });
});

describe('shipped probes/', () => {
  test.each(['syscount.d', 'errinfo.d'])('%s compiles against a syscall catalog', (name) => {
    const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../probes', name), 'utf8');
    expect(session(text).e).toBeUndefined();
  });
});

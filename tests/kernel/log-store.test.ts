// The persistent kernel log: pino NDJSON lines, seqs unique and increasing across 8 concurrent
// ksim processes, torn last lines, clear markers, follow mode, rotation, and the dmesg run on top.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDmesg, type KernelLogSource } from '../../src/dmesg/run.js';
import { KernelLog, LOG_NEWLINE } from '../../src/kernel/log.js';
import { KmsgFollower, KmsgStore, kmsgPath, readKmsgFile } from '../../src/kernel/log-store.js';
import type { Host } from '../../src/host/host.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-kmsg-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const entry = (text: string, level = 6) => ({ tsUsec: 5, level, facility: 0, flags: LOG_NEWLINE, text });

describe('KmsgStore', () => {
  it('writes one pino JSON line per record with the documented fields', () => {
    const store = new KmsgStore(dir);
    const log = new KernelLog({ uptimeUsec: () => 1_500_000, sink: store });
    log.printk('\x013disk on fire\n', { caller: 'T4', pid: 4 });
    log.printk('\x016two\n');
    store.close();
    const lines = fs.readFileSync(kmsgPath(dir), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ level: 3, seq: 0, usec: 1_500_000, facility: 0, flags: LOG_NEWLINE, caller: 'T4', pid: 4, text: 'disk on fire' });
    expect(typeof lines[0].time).toBe('number');
    expect(lines[1]).toMatchObject({ level: 6, seq: 1, text: 'two' });
    expect(log.records().map((r) => r.seq)).toEqual([0, 1]);
  });

  it('keeps seqs going across store instances (separate ksim invocations)', () => {
    const a = new KmsgStore(dir);
    a.append(entry('one'));
    a.close();
    const b = new KmsgStore(dir);
    expect(b.append(entry('two')).seq).toBe(1);
    expect(b.read().map((r) => [r.seq, r.text])).toEqual([[0, 'one'], [1, 'two']]);
  });

  it('tolerates a torn last line, and the next append repairs it', () => {
    const store = new KmsgStore(dir);
    store.append(entry('complete one'));
    store.append(entry('complete two'));
    fs.appendFileSync(kmsgPath(dir), '{"level":6,"time":1,"seq":2,"usec":9,"te');
    expect(readKmsgFile(kmsgPath(dir)).map((r) => r.text)).toEqual(['complete one', 'complete two']);
    expect(store.append(entry('after the crash')).seq).toBe(2);
    expect(readKmsgFile(kmsgPath(dir)).map((r) => [r.seq, r.text])).toEqual([[0, 'complete one'], [1, 'complete two'], [2, 'after the crash']]);
  });

  it('clear leaves a marker; later readers see nothing before it and seqs go on', () => {
    const store = new KmsgStore(dir);
    store.append(entry('old'));
    store.append(entry('older'));
    store.clear();
    expect(store.read()).toEqual([]);
    expect(store.append(entry('new')).seq).toBe(2);
    expect(new KmsgStore(dir).read().map((r) => r.text)).toEqual(['new']);
  });

  it('follows appended records, through a clear, ignoring half-written lines', () => {
    const store = new KmsgStore(dir);
    store.append(entry('before'));
    const follower = new KmsgFollower(kmsgPath(dir));
    expect(follower.poll().map((r) => r.text)).toEqual(['before']);
    expect(follower.poll()).toEqual([]);
    store.append(entry('one'));
    store.append(entry('two'));
    expect(follower.poll().map((r) => r.text)).toEqual(['one', 'two']);
    store.clear();
    store.append(entry('three'));
    expect(follower.poll().map((r) => r.text)).toEqual(['three']);
    fs.appendFileSync(kmsgPath(dir), '{"level":6,"seq":99');
    expect(follower.poll()).toEqual([]);
    const fromEnd = KmsgFollower.fromEnd(kmsgPath(dir));
    store.append(entry('four'));
    expect(fromEnd.poll().map((r) => r.text)).toEqual(['four']);
  });

  it('rotates past maxBytes keeping the newest records and the seq counter', () => {
    const store = new KmsgStore(dir, { maxBytes: 4000 });
    for (let i = 0; i < 200; i++) store.append(entry(`message number ${i}`));
    const records = store.read();
    expect(fs.statSync(kmsgPath(dir)).size).toBeLessThan(4200);
    expect(records.length).toBeGreaterThan(10);
    expect(records[records.length - 1]!.seq).toBe(199);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => records[0]!.seq + i));
    expect(store.append(entry('next')).seq).toBe(200);
  });

  it('8 processes appending 200 records each get 1600 unique increasing seqs', async () => {
    // The children run the real store: transpile log.ts and log-store.ts to plain ESM in a temp dir.
    const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-kmsg-build-'));
    const require = createRequire(import.meta.url);
    const pinoUrl = pathToFileURL(require.resolve('pino')).href;
    for (const name of ['log', 'log-store']) {
      const src = fs.readFileSync(new URL(`../../src/kernel/${name}.ts`, import.meta.url), 'utf8');
      const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      fs.writeFileSync(path.join(buildDir, `${name}.js`), js.replace(/from 'pino'/, `from '${pinoUrl}'`));
    }
    fs.writeFileSync(
      path.join(buildDir, 'child.mjs'),
      `import { KmsgStore } from './log-store.js';
       import { KernelLog } from './log.js';
       const [machine, id] = process.argv.slice(2);
       const log = new KernelLog({ uptimeUsec: () => Number(process.hrtime.bigint() / 1000n), sink: new KmsgStore(machine) });
       for (let i = 0; i < 200; i++) log.printk('\\x016child ' + id + ' record ' + i + ' ' + 'x'.repeat(i % 50) + '\\n', { caller: 'T' + id, pid: Number(id) });
      `,
    );
    const children = Array.from({ length: 8 }, (_, id) =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(buildDir, 'child.mjs'), dir, String(id)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`child ${id} exited ${code}: ${stderr}`))));
      }),
    );
    await Promise.all(children);
    fs.rmSync(buildDir, { recursive: true, force: true });
    const lines = fs.readFileSync(kmsgPath(dir), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed).toHaveLength(1600);
    expect(parsed.map((p) => p.seq)).toEqual(Array.from({ length: 1600 }, (_, i) => i));
    for (const p of parsed) expect(p.text).toMatch(/^child (\d) record (\d+) x*$/);
    for (let id = 0; id < 8; id++) {
      const mine = parsed.filter((p) => p.pid === id).map((p) => Number(/record (\d+)/.exec(p.text)![1]));
      expect(mine).toEqual(Array.from({ length: 200 }, (_, i) => i));
    }
  }, 120_000);
});

describe('dmesg on a machine log', () => {
  function fakeHost(): Host & { out: string; err: string } {
    const h = {
      out: '',
      err: '',
      stdout(d: Uint8Array | string) { h.out += typeof d === 'string' ? d : new TextDecoder().decode(d); },
      stderr(d: Uint8Array | string) { h.err += typeof d === 'string' ? d : new TextDecoder().decode(d); },
      isatty: () => false,
      clock: { wallMs: () => 1234567890000, monotonicNs: () => 0 },
      sleepMs: () => {},
    };
    return h as unknown as Host & { out: string; err: string };
  }
  function source(store: KmsgStore): KernelLogSource {
    return { read: () => store.read(), clear: () => store.clear(), follow: (s) => { const f = new KmsgFollower(store.file, s); return () => f.poll(); } };
  }

  it('prints, reads-and-clears, and follows', () => {
    const store = new KmsgStore(dir);
    let usec = 1_000_000;
    const log = new KernelLog({ uptimeUsec: () => (usec += 250_000), sink: store });
    log.printk('\x016first\n');
    log.printk('\x013second\n');
    const host = fakeHost();
    expect(runDmesg(host, ['-x'], source(store), { os: 'linux' })).toBe(0);
    expect(host.out).toBe('kern  :info  : [    1.250000] first\nkern  :err   : [    1.500000] second\n');
    host.out = '';
    expect(runDmesg(host, ['-c', '-t'], source(store), { os: 'linux' })).toBe(0);
    expect(host.out).toBe('first\nsecond\n');
    host.out = '';
    runDmesg(host, [], source(store), { os: 'linux' });
    expect(host.out).toBe('');
    // Follow: a record logged between polls shows up.
    let polls = 0;
    host.sleepMs = () => {
      if (polls++ === 0) log.printk('\x016while following\n');
    };
    runDmesg(host, ['-w'], source(store), { os: 'linux', maxPolls: 3 });
    expect(host.out).toBe('[    1.750000] while following\n');
  });

  it('reports usage errors with util-linux status', () => {
    const host = fakeHost();
    expect(runDmesg(host, ['--level=foo'], source(new KmsgStore(dir)), { os: 'linux' })).toBe(1);
    expect(host.err).toBe("dmesg: unknown level 'foo'\n");
  });

  it('FreeBSD machines get FreeBSD dmesg; -c clears', () => {
    const store = new KmsgStore(dir);
    const log = new KernelLog({ uptimeUsec: () => 0, sink: store, flavour: 'freebsd' });
    log.printf('FreeBSD 14.0-RELEASE amd64\nCPU: ksim\n');
    const host = fakeHost();
    expect(runDmesg(host, ['-c'], source(store), { os: 'freebsd' })).toBe(0);
    expect(host.out).toBe('FreeBSD 14.0-RELEASE amd64\nCPU: ksim\n');
    expect(store.read()).toEqual([]);
    expect(runDmesg(host, ['-z'], source(store), { os: 'freebsd' })).toBe(1);
    expect(host.err).toBe('dmesg: illegal option -- z\nusage: dmesg [-ac] [-M core [-N system]]\n');
  });
});

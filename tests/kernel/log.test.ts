// printk semantics: level prefixes, KERN_DEFAULT, KERN_CONT continuation by caller, pending
// records flushed by the next record, the byte-bounded ring, clear, and FreeBSD printf/log(9).
import { describe, expect, it } from 'vitest';
import {
  KERN_CONT, KERN_DEFAULT, KERN_ERR, KERN_INFO, KernelLog, LOG_CONT, LOG_NEWLINE, LOG_NOLEVEL, parsePrintkPrefix,
  type LogEntry, type LogRecord,
} from '../../src/kernel/log.js';

function makeLog(opts: Partial<ConstructorParameters<typeof KernelLog>[0]> = {}) {
  let now = 1000;
  const log = new KernelLog({ uptimeUsec: () => (now += 10), ...opts });
  return log;
}
const brief = (r: LogRecord) => [r.seq, r.level, r.text, r.flags];

describe('printk', () => {
  it('parses level prefixes; no prefix and KERN_DEFAULT give level 4', () => {
    const log = makeLog();
    log.printk(`${KERN_ERR}disk on fire\n`);
    log.printk('plain\n');
    log.printk(`${KERN_DEFAULT}default\n`);
    log.printk(`${KERN_INFO}${KERN_ERR}first digit wins\n`);
    expect(log.records().map(brief)).toEqual([
      [0, 3, 'disk on fire', LOG_NEWLINE],
      [1, 4, 'plain', LOG_NEWLINE],
      [2, 4, 'default', LOG_NEWLINE],
      [3, 6, 'first digit wins', LOG_NEWLINE],
    ]);
  });
  it('timestamps a record when it starts; continuation keeps level and time', () => {
    const log = makeLog();
    log.printk(`${KERN_INFO}hello`, { caller: 'T1' });
    expect(log.records()).toEqual([]);
    log.printk(`${KERN_CONT}, world`, { caller: 'T1' });
    log.printk(`${KERN_CONT}${KERN_ERR}!\n`, { caller: 'T1' });
    const [r] = log.records();
    expect(r).toMatchObject({ seq: 0, tsUsec: 1010, level: 6, text: 'hello, world!', flags: LOG_NEWLINE, caller: 'T1' });
  });
  it('a continuation from another caller starts its own record and finishes the pending one', () => {
    const log = makeLog();
    log.printk(`${KERN_INFO}task one`, { caller: 'T1' });
    log.printk(`${KERN_CONT}from two\n`, { caller: 'T2' });
    expect(log.records().map(brief)).toEqual([
      [0, 6, 'task one', 0],
      [1, 4, 'from two', LOG_CONT | LOG_NEWLINE],
    ]);
  });
  it('a non-continuation message finishes an unterminated record', () => {
    const log = makeLog();
    log.printk(`${KERN_INFO}no newline`, { caller: 'T1' });
    log.printk(`${KERN_INFO}next\n`, { caller: 'T1' });
    log.printk(`${KERN_CONT}orphan\n`, { caller: 'T1' });
    expect(log.records().map((r) => r.text)).toEqual(['no newline', 'next', 'orphan']);
  });
  it('keeps embedded newlines inside one record; flush() finishes the pending record', () => {
    const log = makeLog();
    log.printk('line one\nline two\n');
    log.printk('tail');
    expect(log.records().map((r) => r.text)).toEqual(['line one\nline two']);
    log.flush();
    expect(log.records().map((r) => r.text)).toEqual(['line one\nline two', 'tail']);
  });
  it('records(sinceSeq) returns newer records; clear empties but seq goes on', () => {
    const log = makeLog();
    for (let i = 0; i < 3; i++) log.printk(`m${i}\n`);
    expect(log.records(0).map((r) => r.seq)).toEqual([1, 2]);
    log.clear();
    expect(log.records()).toEqual([]);
    log.printk('after\n');
    expect(log.records().map(brief)).toEqual([[3, 4, 'after', LOG_NEWLINE]]);
  });
  it('the ring drops the oldest records past its byte capacity', () => {
    const log = makeLog({ capacityBytes: 100 });
    for (let i = 0; i < 10; i++) log.printk(`0123456789abcdef${i}\n`); // 17 bytes + 16 header each
    expect(log.records().map((r) => r.seq)).toEqual([7, 8, 9]);
  });
  it('hands finished records to the sink, which numbers them, and to listeners', () => {
    const seen: LogEntry[] = [];
    const log = makeLog({ sink: { append: (e) => (seen.push(e), { seq: 100 + seen.length, ...e }) } });
    const heard: number[] = [];
    log.onRecord((r) => heard.push(r.seq));
    log.printk('a\n', { pid: 7 });
    log.printk('b\n');
    expect(seen.map((e) => e.text)).toEqual(['a', 'b']);
    expect(seen[0]!.pid).toBe(7);
    expect(heard).toEqual([101, 102]);
  });
  it('parsePrintkPrefix stops at a non-level SOH pair', () => {
    expect(parsePrintkPrefix('\x01c\x013x')).toEqual({ level: 3, cont: true, body: 'x' });
    expect(parsePrintkPrefix('\x01zx')).toEqual({ level: undefined, cont: false, body: '\x01zx' });
  });
});

describe('FreeBSD flavour', () => {
  it('printf is a stream cut at newlines, whoever prints; log(9) carries a priority', () => {
    const log = makeLog({ flavour: 'freebsd' });
    log.printf('CPU: Intel', { caller: 'T1' });
    log.printf(' Xeon\nsecond line\nthird', { caller: 'T2' });
    log.logPriority(3, 'pid 5 (a.out), uid 0: exited on signal 11\n');
    expect(log.records().map((r) => [r.text, r.level, r.flags])).toEqual([
      ['CPU: Intel Xeon', 6, LOG_NOLEVEL | LOG_NEWLINE],
      ['second line', 6, LOG_NOLEVEL | LOG_NEWLINE],
      ['third', 6, LOG_NOLEVEL],
      ['pid 5 (a.out), uid 0: exited on signal 11', 3, LOG_NEWLINE],
    ]);
  });
});

// System-wide dtrace's record protocol (src/dtrace/remote.ts) without processes: the same firings
// split over two "runs" (RemoteSessions whose records a consumer applies) must print exactly what
// one session that saw them all prints: aggregations of every kind merged, printa() in a run's
// clause expanded on the merged data, clear() applied by the consumer, exit() ending it.
import { describe, expect, it } from 'vitest';
import { startDtrace, type StartedDtrace } from '../../src/dtrace/cli.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from '../../src/dtrace/catalog.js';
import { applyRemoteRecord, remoteSession, type RemoteSpec, type RemoteSession } from '../../src/dtrace/remote.js';

const PROBE: ProbeInfo = { id: 500, provider: 'test', module: 'm', func: 'work', name: 'entry', argTypes: ['long'] };
const catalog = () => new ListCatalog([...dtraceProviderProbes(), PROBE]);

interface Started {
  started: StartedDtrace;
  spec: RemoteSpec;
  out: () => string;
  err: () => string;
}

function start(argv: string[]): Started {
  let out = '';
  let err = '';
  let spec: RemoteSpec | undefined;
  const started = startDtrace(argv, {
    catalog: catalog(),
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    readFile: () => { throw new Error('no files'); },
    enabled: (_s, _a, sp) => { spec = sp; },
  });
  if (typeof started === 'number') throw new Error(`dtrace ended with ${started}: ${err}`);
  return { started, spec: spec!, out: () => out, err: () => err };
}

function run(spec: RemoteSpec, lines: string[]): RemoteSession {
  const s = remoteSession(spec, catalog(), (l) => lines.push(l), () => 0, () => 0);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

const AGGS = `test:::entry {
  @c[arg0 % 3] = count(); @s = sum(arg0); @mn = min(arg0); @mx = max(arg0); @a = avg(arg0);
  @sd = stddev(arg0); @q = quantize(arg0); @l = lquantize(arg0, -50, 250, 50); @ll = llquantize(arg0, 10, 0, 3, 10);
}`;
const values = Array.from({ length: 120 }, (_, i) => BigInt((i * 37) % 301) - 40n);

describe('system-wide dtrace records', () => {
  it('two runs merged print what one session that saw every firing prints', () => {
    const one = start(['-q', '-n', AGGS]);
    for (const v of values) one.started.session.fire(PROBE.id, { args: [v] });
    expect(one.started.finish()).toBe(0);

    const consumer = start(['-q', '-n', AGGS]);
    const lines: string[] = [];
    const a = run(consumer.spec, lines);
    const b = run(consumer.spec, lines);
    values.forEach((v, i) => {
      (i % 2 ? a : b).fire(PROBE.id, { args: [v] });
      if (i === 50) a.flush(); // a flush in the middle: increments, not totals
    });
    a.flush();
    b.flush();
    for (const l of lines) expect(applyRemoteRecord(consumer.started.session, l)).toBe(true);
    expect(consumer.started.finish()).toBe(0);
    expect(consumer.out()).toBe(one.out());
    expect(consumer.out()).toContain('value  ------------- Distribution ------------- count');
    expect(consumer.err()).toBe('');
  });

  it('printa() and clear() in a run act on the merged aggregation; exit() ends the consumer', () => {
    const script = `test:::entry /arg0 > 0/ { @n["calls"] = count(); printf("run saw %d\\n", arg0); }
test:::entry /arg0 == 0/ { printa("total %@d\\n", @n); clear(@n); }
test:::entry /arg0 < 0/ { exit(7); }
END { printa("end %@d\\n", @n); }`;
    const consumer = start(['-q', '-n', script]);
    const lines: string[] = [];
    const a = run(consumer.spec, lines);
    const b = run(consumer.spec, lines);
    a.fire(PROBE.id, { args: [1n] });
    b.fire(PROBE.id, { args: [2n] });
    b.fire(PROBE.id, { args: [0n] }); // printa: a's count is not flushed yet, b's is
    a.flush();
    a.fire(PROBE.id, { args: [0n] });
    b.fire(PROBE.id, { args: [3n] });
    b.fire(PROBE.id, { args: [-1n] });
    b.fire(PROBE.id, { args: [4n] }); // after exit(): nothing
    expect(lines.at(-1)).toBe('{"x":7}');
    for (const l of lines) applyRemoteRecord(consumer.started.session, l);
    expect(consumer.started.session.exitRequested).toBe(true);
    expect(consumer.started.finish()).toBe(7);
    expect(consumer.out()).toBe('run saw 1\nrun saw 2\ntotal 1\ntotal 1\nrun saw 3\nend 1\n\n');
  });

  it("a fault in a run is reported on the consumer's stderr as one session reports it; ERROR fires in the run", () => {
    const script = 'test:::entry { printf("%d\\n", *(int *)arg0); } ERROR { printf("error %d\\n", arg4); }';
    const one = start(['-q', '-n', script]);
    one.started.session.fire(PROBE.id, { args: [0n] });
    expect(one.started.finish()).toBe(0);
    const consumer = start(['-q', '-n', script]);
    const lines: string[] = [];
    run(consumer.spec, lines).fire(PROBE.id, { args: [0n] });
    for (const l of lines) applyRemoteRecord(consumer.started.session, l);
    expect(consumer.started.finish()).toBe(0);
    expect(consumer.err()).toBe(one.err());
    expect(consumer.err()).toMatch(/^dtrace: error on enabled probe ID 1 \(ID 500: test:m:work:entry\): invalid address \(0x0\) in action #1 at DIF offset \d+\n$/);
    expect(consumer.out()).toBe('error 1\n\n');
  });

  it('a partial last line (a run killed mid-write) is not a record', () => {
    const consumer = start(['-q', '-n', AGGS]);
    expect(applyRemoteRecord(consumer.started.session, '{"o":"cut sh')).toBe(false);
  });
});

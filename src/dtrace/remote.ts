// System-wide tracing across ksim processes (dtrace without -c). The consumer (`ksim dtrace -n ...`)
// registers a RemoteSpec; every ksim command that boots the same machine compiles it into a
// RemoteSession in its own kernel, whose fired clauses become records appended to the consumer's
// records file; the consumer applies them (applyRemoteRecord) to its own DtraceSession, which runs
// BEGIN, tick/profile and END and prints. One record per line, JSON:
//   {"o":TEXT,"h":1}        a committed record's text (h: a non-quiet session's column header comes first)
//   {"e":TEXT}              stderr (faults, setopt errors)
//   {"a":[[NAME,[[KEYS,DATA],...]],...]}  aggregation increments since the run's previous flush
//   {"c":[OP,NAME,N?]}      clear/trunc/normalize/denormalize, applied to the merged aggregation
//   {"x":STATUS}            exit()
// printa() in a run travels as a marker inside the text ("\uE000EPID,FMT,AGG...\uE001", after the
// aggregations were flushed) that the consumer expands on its merged aggregations, so it prints what
// a single dtrace would. Global and thread-local variables are the run's own; aggregations are global.
// Core code: the records file comes in through `write` and `nowMs`.
import { DtraceSession, SessionState, type SessionDeps } from './consumer.js';
import type { CompileInput } from './compile.js';
import type { ProbeCatalog } from './catalog.js';
import { key as keyOf, type Aggregation } from './runtime.js';

/** What a consumer registers: the script (preprocessed already) and how to compile it. */
export interface RemoteSpec {
  inputs: CompileInput[];
  options: [string, string | true][];
  macroArgs: string[];
  /** $pid, $uid, ... as decimal strings ($target is 0 without -c). */
  macroVars: Record<string, string>;
  /** -q: no notices. */
  suppressNotices: boolean;
}

const PRINTA_OPEN = '\uE000';
const PRINTA_CLOSE = '\uE001';
/** A run flushes its aggregations at least this often while probes fire (host milliseconds). */
const FLUSH_MS = 200;

type EncodedKey = string;
type EncodedEntry = [EncodedKey[], string[]];

function encodeKey(k: bigint | string): EncodedKey {
  return typeof k === 'string' ? `s${k}` : `i${k.toString()}`;
}

function decodeKey(k: EncodedKey): bigint | string {
  return k[0] === 's' ? k.slice(1) : BigInt(k.slice(1));
}

/** A run's state: clear() and friends act on the consumer's merged aggregations. */
class RemoteState extends SessionState {
  constructor(private readonly session: RemoteSession) {
    super();
  }
  override clear(name: string): void {
    this.session.aggOp(['clear', name]);
  }
  override denormalize(name: string): void {
    this.session.aggOp(['denormalize', name]);
  }
  override trunc(name: string, n?: bigint): void {
    this.session.aggOp(n === undefined ? ['trunc', name] : ['trunc', name, n.toString()]);
  }
  override normalize(name: string, n: bigint): void {
    this.session.aggOp(['normalize', name, n.toString()]);
  }
}

/** The session a ksim run fires a registered consumer's clauses into. */
export class RemoteSession extends DtraceSession {
  override readonly state: SessionState = new RemoteState(this);
  private exitSent = false;
  private lastFlushMs: number;
  /** clear() and friends of the firing, sent after its record (dtrace processes them in order). */
  private pendingOps: string[][] = [];

  constructor(
    deps: Omit<SessionDeps, 'stdout' | 'stderr'>,
    private readonly write: (line: string) => void,
    private readonly nowMs: () => number,
  ) {
    super({ ...deps, stdout: (t) => write(JSON.stringify({ o: t })), stderr: (t) => write(JSON.stringify({ e: t })) });
    this.headerPrinted = true;
    this.lastFlushMs = nowMs();
  }

  protected override emitRecord(text: string): void {
    this.write(JSON.stringify(this.quiet ? { o: text } : { o: text, h: 1 }));
    this.sendOps();
  }

  private sendOps(): void {
    for (const op of this.pendingOps) this.write(JSON.stringify({ c: op }));
    this.pendingOps = [];
  }

  override printaText(epid: number, idx: number, names: string[]): string {
    this.flush();
    return `${PRINTA_OPEN}${[epid, idx, ...names].join(',')}${PRINTA_CLOSE}`;
  }

  aggOp(op: string[]): void {
    this.flush();
    this.pendingOps.push(op);
  }

  /** Profile and tick probes fire in the consumer only. */
  override nextTickNs(): number | undefined {
    return undefined;
  }
  override tick(): void {}

  override fire(probeId: number, ctx: Parameters<DtraceSession['fire']>[1]): void {
    super.fire(probeId, ctx);
    this.sendOps();
    if (this.exiting && !this.exitSent) {
      this.exitSent = true;
      this.flush();
      this.write(JSON.stringify({ x: this.exitStatus }));
      return;
    }
    const now = this.nowMs();
    if (now - this.lastFlushMs >= FLUSH_MS) this.flush();
  }

  /** Sends the aggregation increments since the last flush, and starts them again from zero. */
  flush(): void {
    this.lastFlushMs = this.nowMs();
    const out: [string, EncodedEntry[]][] = [];
    for (const [name, agg] of this.state.aggs) {
      if (agg.entries.size === 0) continue;
      const entries: EncodedEntry[] = [];
      for (const e of agg.entries.values()) entries.push([e.keys.map(encodeKey), e.data.map((d) => d.toString())]);
      out.push([name, entries]);
      agg.entries.clear();
    }
    if (out.length) this.write(JSON.stringify({ a: out }));
  }
}

/**
 * Compiles a registered consumer's spec for this kernel's catalog and enables it. Returns the
 * session, or the error text when the script no longer compiles here (say, a probe's syscall
 * left the table since the consumer started).
 */
export function remoteSession(spec: RemoteSpec, catalog: ProbeCatalog, write: (line: string) => void, nowMs: () => number, now: () => number): RemoteSession | string {
  const s = new RemoteSession({ catalog, now }, write, nowMs);
  try {
    for (const [k, v] of spec.options) s.options.set(k, v);
  } catch (e) {
    return `dtrace: ${(e as Error).message}\n`;
  }
  s.suppressNotices = spec.suppressNotices;
  const macroVars: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(spec.macroVars)) macroVars[k] = BigInt(v);
  const err = s.compile(spec.inputs, { macroArgs: spec.macroArgs, macroVars });
  if (err) return err;
  const en = s.enable();
  if (!en.ok) return en.messages;
  return s;
}

/** Adds a run's increments into the consumer's aggregation, as dtrace merges per-CPU buffers. */
function mergeInto(agg: Aggregation, keys: (bigint | string)[], data: bigint[]): void {
  const keyText = keyOf(keys);
  const e = agg.entries.get(keyText);
  if (!e) {
    agg.entries.set(keyText, { keyText, keys, data });
    return;
  }
  const d = e.data;
  switch (agg.info.fn) {
    case 'min':
      if (data[0]! < d[0]!) d[0] = data[0]!;
      return;
    case 'max':
      if (data[0]! > d[0]!) d[0] = data[0]!;
      return;
    case 'sum':
    case 'avg':
      for (let i = 0; i < d.length; i++) d[i] = BigInt.asIntN(64, d[i]! + (data[i] ?? 0n));
      return;
    default:
      for (let i = 0; i < d.length; i++) d[i] = d[i]! + (data[i] ?? 0n);
  }
}

/** Prints a run's record text, expanding printa() markers on the merged aggregations. */
function printRemoteText(session: DtraceSession, text: string, header: boolean): void {
  if (header && !session.quiet) session.printHeader();
  if (!text.includes(PRINTA_OPEN)) {
    session.out(text);
    return;
  }
  const expanded = text.replace(/\uE000([^\uE001]*)\uE001/g, (_m, body: string) => {
    const [epid, idx, ...names] = body.split(',');
    if (names.some((n) => !session.state.aggs.has(n))) return '';
    return session.printaText(Number(epid), Number(idx), names);
  });
  session.out(expanded);
}

/**
 * Applies one line of a records file to the consumer's session. Returns false when the line is
 * not a record (a run killed mid-write leaves at most a partial last line, which is skipped).
 */
export function applyRemoteRecord(session: DtraceSession, line: string): boolean {
  let r: { o?: string; h?: number; e?: string; a?: [string, EncodedEntry[]][]; c?: string[]; x?: number };
  try {
    r = JSON.parse(line) as typeof r;
  } catch {
    return false;
  }
  if (typeof r !== 'object' || r === null) return false;
  if (session.exitRequested) return true;
  if (typeof r.o === 'string') printRemoteText(session, r.o, r.h === 1);
  if (typeof r.e === 'string') session.deps.stderr(r.e);
  if (Array.isArray(r.a)) {
    for (const [name, entries] of r.a) {
      const agg = session.state.aggs.get(name);
      if (!agg) continue;
      for (const [keys, data] of entries) mergeInto(agg, keys.map(decodeKey), data.map((d) => BigInt(d)));
    }
  }
  if (Array.isArray(r.c)) {
    const [op, name, n] = r.c;
    if (name !== undefined && session.state.aggs.has(name)) {
      if (op === 'clear') session.state.clear(name);
      else if (op === 'denormalize') session.state.denormalize(name);
      else if (op === 'trunc') session.state.trunc(name, n === undefined ? undefined : BigInt(n));
      else if (op === 'normalize') session.state.normalize(name, BigInt(n ?? '1'));
    }
  }
  if (typeof r.x === 'number') session.requestExit(r.x);
  return true;
}

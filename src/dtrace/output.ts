// dtrace(1)'s output formats, byte for byte (dtrace.c, dt_consume.c, dt_aggregate.c): the record
// header and prefix, traced data widths (quiet and not), aggregation tuples and values, the
// quantize/lquantize/llquantize histograms, aggregation sort orders (aggsort* options), notices,
// fault messages and the `dtrace -l` listing.
import { type Aggregation, type AggEntry, aggScalar, quantizeBucketValue, QUANTIZE_NBUCKETS, stddev } from './runtime.js';
import { type Conversion, formatInteger } from './printf.js';
import type { DType } from './types.js';
import { intShape, isString } from './types.js';
import type { ProbeInfo } from './catalog.js';

export const HEADER = `${'CPU'.padStart(3)} ${'ID'.padStart(6)} ${'FUNCTION:NAME'.padStart(32)}\n`;
export const FLOW_HEADER = `${'CPU'.padStart(3)} ${'FUNCTION'.padEnd(41)}\n`;

function fmtD(v: bigint, width: number): string {
  return v.toString().padStart(width);
}

/** `"%3d %6d %32s "` — the start of every record when not quiet. */
export function recordPrefix(cpu: number, id: number, func: string, name: string): string {
  return `${String(cpu).padStart(3)} ${String(id).padStart(6)} ${`${func}:${name}`.padStart(32)} `;
}

export interface TraceShape {
  kind: 'int' | 'str' | 'bytes';
  size: number;
  signed: boolean;
}

/** trace() data: int64 `" %16lld"`, int32 `" %8d"`, int16 `" %5d"`, int8 `" %3d"`, string `"  %-33s"`; quiet: no padding. */
export function formatTraced(v: bigint | string | Uint8Array, shape: TraceShape, quiet: boolean): string {
  if (shape.kind === 'str') return quiet ? String(v) : `  ${String(v).padEnd(33)}`;
  if (v instanceof Uint8Array) return formatBytes(v);
  if (typeof v === 'string') return quiet ? v : `  ${v.padEnd(33)}`;
  const size = shape.size;
  const n = BigInt.asIntN(size * 8, v);
  if (quiet) return n.toString();
  const width = size === 8 ? 16 : size === 4 ? 8 : size === 2 ? 5 : 3;
  return ' ' + fmtD(n, width);
}

/** Raw bytes as dtrace's dt_print_bytes prints non-string data: a hex dump. */
export function formatBytes(b: Uint8Array): string {
  let out = '\n';
  out += '             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef\n';
  for (let off = 0; off < b.length; off += 16) {
    let hex = '';
    let asc = '';
    for (let i = 0; i < 16; i++) {
      if (off + i < b.length) {
        const c = b[off + i]!;
        hex += ' ' + c.toString(16).padStart(2, '0');
        asc += c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
      } else hex += '   ';
    }
    out += `    ${off.toString(16).padStart(4)}:${hex}  ${asc}\n`;
  }
  return out;
}

// ---- aggregations ------------------------------------------------------------------------------

/** One aggregation key as dt_print_datum prints it. */
export function formatKey(v: bigint | string, t: DType): string {
  if (typeof v === 'string' || isString(t)) return `  ${String(v).padEnd(50)}`;
  const s = intShape(t);
  const n = BigInt.asIntN(s.size * 8, v);
  const width = s.size === 8 ? 16 : s.size === 4 ? 8 : s.size === 2 ? 5 : 3;
  return ' ' + fmtD(n, width);
}

const ATS = '@'.repeat(40);

function quantLine(val: bigint, total: bigint, normal: bigint): string {
  let depth = 0;
  if (total !== 0n) {
    const abs = val < 0n ? -val : val;
    const absT = total < 0n ? -total : total;
    depth = Math.floor((Number(abs) * 40) / Number(absT) + 0.5);
  }
  return `|${ATS.slice(0, depth)}${' '.repeat(40 - depth)} ${(val / normal).toString().padEnd(9)}\n`;
}

const HIST_HEADER = `\n${'value'.padStart(16)} ${'------------- Distribution -------------'.padStart(41)} ${'count'.padEnd(9)}\n`;

function histRange(d: bigint[]): [number, number] {
  let first = 0;
  while (first < d.length && d[first] === 0n) first++;
  if (first === d.length) return [-1, -1];
  let last = d.length - 1;
  while (last > 0 && d[last] === 0n) last--;
  if (first > 0) first--;
  if (last < d.length - 1) last++;
  return [first, last];
}

export function formatQuantize(d: bigint[], normal: bigint): string {
  let [first, last] = histRange(d);
  if (first < 0) { first = 62; last = 64; }
  let total = 0n;
  for (let i = first; i <= last; i++) total += d[i]! < 0n ? -d[i]! : d[i]!;
  let out = HIST_HEADER;
  for (let i = first; i <= last && i < QUANTIZE_NBUCKETS; i++) {
    out += `${quantizeBucketValue(i).toString().padStart(16)} ` + quantLine(d[i]!, total, normal);
  }
  return out;
}

export function formatLquantize(d: bigint[], low: bigint, step: bigint, normal: bigint): string {
  const levels = d.length - 2;
  let [first, last] = histRange(d);
  if (first < 0) { first = 0; last = 2; }
  let total = 0n;
  for (let i = first; i <= last; i++) total += d[i]! < 0n ? -d[i]! : d[i]!;
  let out = HIST_HEADER;
  for (let i = first; i <= last; i++) {
    let label: string;
    if (i === 0) label = `< ${low}`;
    else if (i === levels + 1) label = `>= ${low + BigInt(levels) * step}`;
    else label = (low + BigInt(i - 1) * step).toString();
    out += `${label.padStart(16)} ` + quantLine(d[i]!, total, normal);
  }
  return out;
}

export function formatLlquantize(d: bigint[], bins: bigint[], normal: bigint): string {
  let [first, last] = histRange(d);
  if (first < 0) { first = 0; last = Math.min(2, d.length - 1); }
  let total = 0n;
  for (let i = first; i <= last; i++) total += d[i]! < 0n ? -d[i]! : d[i]!;
  let out = HIST_HEADER;
  for (let i = first; i <= last; i++) {
    let label: string;
    if (i === 0) label = `< ${bins[0]}`;
    else if (i === d.length - 1) label = `>= ${bins[i]}`;
    else label = bins[i]!.toString();
    out += `${label.padStart(16)} ` + quantLine(d[i]!, total, normal);
  }
  return out;
}

function isHistogram(fn: string): boolean {
  return fn === 'quantize' || fn === 'lquantize' || fn === 'llquantize';
}

/** The value part of an entry as the default layout prints it. */
export function formatAggValue(agg: Aggregation, e: AggEntry): string {
  const fn = agg.info.fn;
  const n = agg.normal;
  if (fn === 'quantize') return formatQuantize(e.data, n);
  if (fn === 'lquantize') return formatLquantize(e.data, agg.info.params[0]!, agg.info.params[2]!, n);
  if (fn === 'llquantize') return formatLlquantize(e.data, agg.bins, n);
  if (fn === 'stddev') return ' ' + BigInt.asUintN(64, stddev(e.data) / n).toString().padStart(16);
  return ' ' + fmtD(aggScalar(agg, e) / n, 16);
}

/** The value for a `%@` conversion in a printa format. */
export function formatAggConversion(agg: Aggregation, e: AggEntry, c: Conversion): string {
  const fn = agg.info.fn;
  if (isHistogram(fn)) return formatAggValue(agg, e);
  const v = (fn === 'stddev' ? stddev(e.data) : aggScalar(agg, e)) / agg.normal;
  const conv = 'diouxXc'.includes(c.conv) ? c.conv : 'd';
  return formatInteger({ flags: c.flags, width: typeof c.width === 'number' ? c.width : undefined, prec: typeof c.prec === 'number' ? c.prec : undefined, conv }, { kind: 'int', value: v, size: 8, signed: fn !== 'stddev' });
}

/** Default layout of one tuple: keys, then the value, then `\n`. */
export function formatAggEntry(aggs: Aggregation[], e: AggEntry, entries: (AggEntry | undefined)[]): string {
  const first = aggs[0]!;
  let out = '';
  first.info.keys.forEach((t, i) => { out += formatKey(e.keys[i]!, t); });
  aggs.forEach((a, i) => {
    const ent = entries[i];
    if (ent) out += formatAggValue(a, ent);
    else out += isHistogram(a.info.fn) ? '' : ' ' + '0'.padStart(16);
  });
  return out + '\n';
}

export interface SortOptions {
  aggsortkey: boolean;
  aggsortrev: boolean;
  aggsortpos: number;
  aggsortkeypos: number;
}

function cmpKeyPart(a: bigint | string, b: bigint | string): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = typeof a === 'string' ? 0n : a;
  const y = typeof b === 'string' ? 0n : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareKeys(a: AggEntry, b: AggEntry, keypos: number): number {
  const n = Math.max(a.keys.length, b.keys.length);
  if (keypos > 0 && keypos < n) {
    const c = cmpKeyPart(a.keys[keypos]!, b.keys[keypos]!);
    if (c !== 0) return c;
  }
  for (let i = 0; i < n; i++) {
    const c = cmpKeyPart(a.keys[i]!, b.keys[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Orders an aggregation's entries as dtrace_aggregate_walk_sorted does. */
export function sortEntries(agg: Aggregation, opts: SortOptions, valueOf?: (e: AggEntry) => bigint): AggEntry[] {
  const list = [...agg.entries.values()];
  const val = valueOf ?? ((e: AggEntry) => aggScalar(agg, e));
  const byVal = (a: AggEntry, b: AggEntry) => {
    const x = val(a);
    const y = val(b);
    if (x !== y) return x < y ? -1 : 1;
    if (isHistogram(agg.info.fn)) {
      const zx = a.data.reduce((s, c) => s + c, 0n);
      const zy = b.data.reduce((s, c) => s + c, 0n);
      if (zx !== zy) return zx < zy ? -1 : 1;
    }
    return 0;
  };
  const byKey = (a: AggEntry, b: AggEntry) => compareKeys(a, b, opts.aggsortkeypos);
  list.sort((a, b) => {
    const r = opts.aggsortkey ? byKey(a, b) || byVal(a, b) : byVal(a, b) || byKey(a, b);
    return opts.aggsortrev ? -r : r;
  });
  return list;
}

// ---- messages ----------------------------------------------------------------------------------

export function matchedNotice(what: 'description' | 'script', text: string, n: number): string {
  return `dtrace: ${what} '${text}' matched ${n} probe${n === 1 ? '' : 's'}\n`;
}

/** The part of a -n argument dtrace quotes in its notice: cut at the first `{`, `/` or `;`. */
export function descriptionText(spec: string): string {
  const i = spec.search(/[{/;]/);
  return i < 0 ? spec : spec.slice(0, i);
}

export function faultMessage(epid: number, probe: ProbeInfo, fault: string, addr: bigint | undefined, action: number, offset: number): string {
  const details = addr !== undefined ? ` (0x${BigInt.asUintN(64, addr).toString(16)})` : '';
  const where = action === 0 ? 'predicate' : `action #${action}`;
  const off = offset >= 0 ? ` at DIF offset ${offset}` : '';
  return `dtrace: error on enabled probe ID ${epid} (ID ${probe.id}: ${probe.provider}:${probe.module}:${probe.func}:${probe.name}): ${fault}${details} in ${where}${off}\n`;
}

/** `dtrace -l`: the header and one line per probe. */
export function listingHeader(): string {
  return `${'ID'.padStart(5)} ${'PROVIDER'.padStart(10)} ${'MODULE'.padStart(17)} ${'FUNCTION'.padStart(33)} NAME\n`;
}

export function listingLine(p: ProbeInfo): string {
  return `${String(p.id).padStart(5)} ${p.provider.padStart(10)} ${p.module.padStart(17)} ${p.func.padStart(33)} ${p.name}\n`;
}

/** -v listing detail: argument types. */
export function listingVerbose(p: ProbeInfo): string {
  let out = '\n\tProbe Description Attributes\n\t\tIdentifier Names: Private\n\t\tData Semantics:   Private\n\t\tDependency Class: Unknown\n\n\tArgument Attributes\n\t\tIdentifier Names: Private\n\t\tData Semantics:   Private\n\t\tDependency Class: ISA\n\n\tArgument Types\n';
  if (!p.argTypes || p.argTypes.length === 0) out += '\t\tNone\n';
  else p.argTypes.forEach((t, i) => { out += `\t\targs[${i}]: ${t}\n`; });
  return out + '\n';
}

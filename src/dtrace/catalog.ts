// The probe catalog the consumer matches descriptions against, and probe-description matching:
// `provider:module:function:name` with fields read right to left when some are omitted, empty =
// any, and glob patterns (`*`, `?`, `[...]`, `[!...]`, `\`) that must match the whole field.
// The kernel supplies its catalog (dtrace, syscall, proc, profile, fbt, pid, sched providers);
// profile probes that a script names (`tick-10ms`) are created on demand, as dtrace does.

/** One probe as the kernel offers it. */
export interface ProbeInfo {
  id: number;
  provider: string;
  module: string;
  func: string;
  name: string;
  /** C types of args[0..n-1] (syscall rows' ArgSpec.ctype), when known. */
  argTypes?: string[];
}

export interface ProbeCatalog {
  /** Every probe, in ID order. */
  list(): ProbeInfo[];
  /**
   * Creates probes on demand for a description no existing probe matches (profile's tick-N /
   * profile-N, pid$target). Returns the new probe or undefined. Optional.
   */
  create?(desc: ProbeDescription): ProbeInfo | undefined;
  /** Integer constants the machine's D library defines (uregs[]'s R_EAX...). Optional. */
  inlines?(): Record<string, bigint>;
}

export interface ProbeDescription {
  provider: string;
  module: string;
  func: string;
  name: string;
}

/** Splits a description into its four fields; omitted leading fields are empty (= any). */
export function splitProbeDescription(text: string): ProbeDescription {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) { cur += c + text[++i]; continue; }
    if (c === ':') { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  parts.push(cur);
  while (parts.length < 4) parts.unshift('');
  if (parts.length > 4) {
    // Extra colons belong to the function field in dtrace's parser; keep the last three separate.
    const name = parts.pop()!;
    const func = parts.pop()!;
    const provider = parts.shift()!;
    return { provider, module: parts.join(':'), func, name };
  }
  return { provider: parts[0]!, module: parts[1]!, func: parts[2]!, name: parts[3]! };
}

/** True when the pattern contains glob characters. */
export function isGlob(p: string): boolean {
  return /[*?[\\]/.test(p);
}

/** gmatch(3GEN): whole-string glob match. */
export function globMatch(s: string, p: string): boolean {
  const memo = new Map<string, boolean>();
  const rec = (si: number, pi: number): boolean => {
    const key = si * 4096 + pi;
    const hit = memo.get(String(key));
    if (hit !== undefined) return hit;
    let r: boolean;
    if (pi === p.length) r = si === s.length;
    else {
      const c = p[pi]!;
      if (c === '*') r = rec(si, pi + 1) || (si < s.length && rec(si + 1, pi));
      else if (si >= s.length) r = false;
      else if (c === '?') r = rec(si + 1, pi + 1);
      else if (c === '[') {
        let j = pi + 1;
        let negate = false;
        if (p[j] === '!' || p[j] === '^') { negate = true; j++; }
        let matched = false;
        let first = true;
        while (j < p.length && (p[j] !== ']' || first)) {
          first = false;
          let lo = p[j]!;
          if (lo === '\\' && j + 1 < p.length) lo = p[++j]!;
          if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
            let hi = p[j + 2]!;
            if (hi === '\\' && j + 3 < p.length) { hi = p[j + 3]!; j++; }
            if (s[si]! >= lo && s[si]! <= hi) matched = true;
            j += 3;
          } else {
            if (s[si] === lo) matched = true;
            j++;
          }
        }
        if (j >= p.length) r = s[si] === '[' && rec(si + 1, pi + 1);
        else r = matched !== negate && rec(si + 1, j + 1);
      } else if (c === '\\' && pi + 1 < p.length) r = s[si] === p[pi + 1] && rec(si + 1, pi + 2);
      else r = s[si] === c && rec(si + 1, pi + 1);
    }
    memo.set(String(key), r);
    return r;
  };
  return rec(0, 0);
}

function fieldMatches(value: string, pattern: string): boolean {
  if (pattern === '' || pattern === '*') return true;
  if (!isGlob(pattern)) return value === pattern;
  return globMatch(value, pattern);
}

export function probeMatches(p: ProbeInfo, d: ProbeDescription): boolean {
  return fieldMatches(p.provider, d.provider) && fieldMatches(p.module, d.module) && fieldMatches(p.func, d.func) && fieldMatches(p.name, d.name);
}

/** All probes matching a description, creating a profile/pid probe on demand when none exists. */
export function matchProbes(catalog: ProbeCatalog, d: ProbeDescription): ProbeInfo[] {
  const out = catalog.list().filter((p) => probeMatches(p, d));
  if (out.length === 0 && catalog.create && !isGlob(d.provider) && !isGlob(d.name)) {
    const created = catalog.create(d);
    if (created) return [created];
  }
  return out;
}

/** The full name dtrace prints for a probe: `dtrace:::BEGIN`, `syscall::read:entry`. */
export function probeFullName(p: { provider: string; module: string; func: string; name: string }): string {
  return `${p.provider}:${p.module}:${p.func}:${p.name}`;
}

const unitNs: Record<string, number> = {
  ns: 1, nsec: 1, us: 1e3, usec: 1e3, ms: 1e6, msec: 1e6, s: 1e9, sec: 1e9, m: 60e9, min: 60e9,
  h: 3600e9, hour: 3600e9, d: 86400e9, day: 86400e9,
};

/** The period of a profile-provider probe name (`tick-10ms`, `profile-997`, `tick-1sec`), or undefined. */
export function profilePeriodNs(name: string): { kind: 'tick' | 'profile'; periodNs: number } | undefined {
  const m = /^(tick|profile)-([0-9]+)([a-z]*)$/.exec(name);
  if (!m) return undefined;
  const n = Number(m[2]);
  const unit = m[3]!;
  if (n <= 0) return undefined;
  if (unit === '' || unit === 'hz') return { kind: m[1] as 'tick', periodNs: Math.round(1e9 / n) };
  const mult = unitNs[unit];
  if (mult === undefined) return undefined;
  return { kind: m[1] as 'tick', periodNs: n * mult };
}

/**
 * A simple catalog over a list, with on-demand profile probes (`profile:::tick-1sec`). Used by tests,
 * and a base for the kernel's own catalog. IDs continue after the highest given.
 */
export class ListCatalog implements ProbeCatalog {
  private probes: ProbeInfo[];
  constructor(probes: ProbeInfo[], private readonly constants: Record<string, bigint> = {}) {
    this.probes = [...probes].sort((a, b) => a.id - b.id);
  }
  inlines(): Record<string, bigint> {
    return this.constants;
  }
  list(): ProbeInfo[] {
    return this.probes;
  }
  /** Adds probes made after the catalog (the pid provider's for $target), numbered after the others. */
  add(probes: ProbeInfo[]): void {
    this.probes.push(...probes);
  }
  create(d: ProbeDescription): ProbeInfo | undefined {
    if ((d.provider === 'profile' || d.provider === '') && (d.module === '' || d.module === '*') && (d.func === '' || d.func === '*')) {
      if (!profilePeriodNs(d.name)) return undefined;
      const id = (this.probes.at(-1)?.id ?? 0) + 1;
      const p: ProbeInfo = { id, provider: 'profile', module: '', func: '', name: d.name };
      this.probes.push(p);
      return p;
    }
    return undefined;
  }
}

/** The dtrace provider's probes as real dtrace numbers them. */
export function dtraceProviderProbes(): ProbeInfo[] {
  return [
    { id: 1, provider: 'dtrace', module: '', func: '', name: 'BEGIN' },
    { id: 2, provider: 'dtrace', module: '', func: '', name: 'END' },
    { id: 3, provider: 'dtrace', module: '', func: '', name: 'ERROR' },
  ];
}

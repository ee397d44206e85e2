// dtrace options (-x name[=value], #pragma D option, setopt()): the names dtrace knows, their
// defaults, and value parsing (sizes like 4m, times like 10hz). Unknown names are errors.

export type OptionValue = string | true;

/** Options and their defaults (undefined = unset). */
export const knownOptions: Record<string, OptionValue | undefined> = {
  aggrate: '1hz', aggsize: '4m', aggsortkey: undefined, aggsortkeypos: undefined, aggsortpos: undefined,
  aggsortrev: undefined, aggpercpu: undefined, bufpolicy: 'switch', bufresize: 'auto', bufsize: '4m', cleanrate: '101hz',
  cpu: undefined, cpp: undefined, cpppath: undefined, defaultargs: undefined, destructive: undefined, dynvarsize: '1m',
  errtags: undefined, evaltime: undefined, flowindent: undefined, grabanon: undefined, jstackframes: undefined,
  jstackstrsize: undefined, libdir: undefined, linkmode: undefined, linktype: undefined, nolibs: undefined, nspec: '1',
  quiet: undefined, rawbytes: undefined, specsize: '32k', stackframes: '20', stackindent: '14', statusrate: undefined,
  strsize: '256', switchrate: '1hz', ustackframes: '100', zdefs: undefined, version: undefined, amin: undefined,
  droptags: undefined, disasm: undefined, encoding: undefined, iregs: undefined, lazyload: undefined, incdir: undefined,
  define: undefined, undef: undefined, pgmax: undefined, pspec: undefined, stdc: undefined, tregs: undefined,
  debug: undefined, core: undefined, modpath: undefined, ldpath: undefined, procfs: undefined, temporal: undefined,
  verbose: undefined, strip: undefined, unodefs: undefined, knodefs: undefined, dof: undefined, ctypes: undefined,
  dtypes: undefined, cpucycle: undefined, tstamp: undefined, oformat: undefined,
};

/** Parses a size option value (`4m`, `512k`, `1g`, `256`). */
export function parseSize(v: string): number | undefined {
  const m = /^([0-9]+)([kKmMgGtT]?)$/.exec(v);
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase()]!;
  return Number(m[1]) * mult;
}

export class OptionError extends Error {}

export class Options {
  private values = new Map<string, OptionValue>();
  /** Counts changes (set, unset): a reader on a hot path keeps what it read until this moves. */
  version = 0;

  set(name: string, value: OptionValue = true): void {
    if (!(name in knownOptions)) throw new OptionError('Invalid option name');
    if (name === 'strsize' || name === 'nspec' || name === 'bufsize' || name === 'dynvarsize' || name === 'specsize' || name === 'stackframes' || name === 'aggsize') {
      if (value === true || parseSize(value) === undefined) throw new OptionError('Invalid value for specified option');
    }
    this.values.set(name, value);
    this.version++;
  }

  /** The options set explicitly, in the order they were first set. */
  entries(): [string, OptionValue][] {
    return [...this.values];
  }

  unset(name: string): void {
    this.values.delete(name);
    this.version++;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): OptionValue | undefined {
    return this.values.get(name) ?? knownOptions[name];
  }

  flag(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v !== 'false' && v !== '0';
  }

  num(name: string): number {
    const v = this.get(name);
    return typeof v === 'string' ? parseSize(v) ?? 0 : 0;
  }
}

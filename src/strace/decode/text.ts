// How strace writes strings, signals, signal sets, modes and errors: string quoting with its escapes
// and -s / -x / -xx rules (util.c string_quote), signal names (SIGRTMIN, SIGRT_1), `[INT TERM]` and
// `~[KILL]` sets, `S_IFREG|0644` modes, `makedev(0x1, 0x3)`, and `ENOENT (No such file or directory)`.
import { linuxErrnoName, linuxStrerror } from '../../kernel/errno-linux.js';

/** -x level: 0 none, 1 hex-quote strings with a non-printable byte, 2 hex-quote every string. */
export type HexLevel = 0 | 1 | 2;

function isPrintable(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/**
 * Quotes bytes as strace does: `"..."` with `\" \\ \f \n \r \t \v`, other bytes in the shortest
 * octal (three digits when an octal digit follows); -x / -xx or forceHex write `\xNN` for every byte.
 */
export function quoteBytes(bytes: Uint8Array, hexLevel: HexLevel, forceHex = false): string {
  let useHex = forceHex || hexLevel === 2;
  if (!useHex && hexLevel === 1) useHex = bytes.some((c) => !isPrintable(c));
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (useHex) {
      s += '\\x' + c.toString(16).padStart(2, '0');
      continue;
    }
    switch (c) {
      case 0x22: s += '\\"'; continue;
      case 0x5c: s += '\\\\'; continue;
      case 0x0c: s += '\\f'; continue;
      case 0x0a: s += '\\n'; continue;
      case 0x0d: s += '\\r'; continue;
      case 0x09: s += '\\t'; continue;
      case 0x0b: s += '\\v'; continue;
    }
    if (isPrintable(c)) {
      s += String.fromCharCode(c);
      continue;
    }
    const next = bytes[i + 1];
    const octalFollows = next !== undefined && next >= 0x30 && next <= 0x37;
    s += '\\' + (octalFollows ? c.toString(8).padStart(3, '0') : c.toString(8));
  }
  return s + '"';
}

/** A buffer of `len` bytes shown with at most `max` bytes, `...` after the quote when cut. */
export function quoteBuffer(bytes: Uint8Array, max: number, hexLevel: HexLevel, forceHex = false): string {
  if (bytes.length > max) return quoteBytes(bytes.subarray(0, max), hexLevel, forceHex) + '...';
  return quoteBytes(bytes, hexLevel, forceHex);
}

/** Signal names as strace writes them (SIGRTMIN is 32; 33.. are SIGRT_1..). */
const SIGNAL_NAMES = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL',
  'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT',
  'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF',
  'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

export function signalName(signo: number): string | undefined {
  if (signo >= 1 && signo <= 31) return SIGNAL_NAMES[signo];
  if (signo === 32) return 'SIGRTMIN';
  if (signo > 32 && signo <= 64) return `SIGRT_${signo - 32}`;
  return undefined;
}

/** A signal argument: `SIGTERM`, or the number when it names no signal. */
export function printSignal(signo: number): string {
  return signalName(signo) ?? String(signo);
}

/** The signal number for a name with or without SIG (`TERM`, `SIGTERM`, `RTMIN`, `RT_3`), or a number. */
export function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const n = name.toUpperCase().replace(/^SIG/, '');
  for (let s = 1; s <= 64; s++) if (signalName(s) === 'SIG' + n) return s;
  return undefined;
}

/** A signal set of nbits signals: `[INT TERM]`, or `~[KILL STOP]` when more than half are set. */
export function printSigset(mask: bigint, nbits = 64): string {
  const all = (1n << BigInt(nbits)) - 1n;
  let m = mask & all;
  let count = 0;
  for (let i = 0n; i < BigInt(nbits); i++) if ((m >> i) & 1n) count++;
  let prefix = '';
  if (count > nbits / 2) {
    prefix = '~';
    m = ~m & all;
  }
  const names: string[] = [];
  for (let s = 1; s <= nbits; s++) {
    if ((m >> BigInt(s - 1)) & 1n) names.push(signalName(s)?.replace(/^SIG/, '') ?? String(s));
  }
  return `${prefix}[${names.join(' ')}]`;
}

const FILE_TYPES: readonly [string, number][] = [
  ['S_IFSOCK', 0o140000], ['S_IFLNK', 0o120000], ['S_IFREG', 0o100000], ['S_IFBLK', 0o60000],
  ['S_IFDIR', 0o40000], ['S_IFCHR', 0o20000], ['S_IFIFO', 0o10000],
];

/** An octal permission mode (`0644`, `000`); with a file type when present (`S_IFREG|0644`). */
export function printMode(mode: number, withType = true): string {
  const m = mode >>> 0;
  const type = m & 0o170000;
  const perm = m & ~0o170000;
  const octal = (v: number) => '0' + v.toString(8).padStart(2, '0');
  if (!withType || type === 0) return octal(m);
  const t = FILE_TYPES.find(([, v]) => v === type);
  if (!t) return octal(m);
  return perm ? `${t[0]}|${octal(perm)}` : t[0];
}

/** A dev_t: `makedev(0x8, 0x1)` (glibc's major/minor split). */
export function printDev(dev: bigint): string {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn & 0xffffffffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn & 0xffffffffn));
  return `makedev(${major === 0 ? '0' : '0x' + major.toString(16)}, ${minor === 0 ? '0' : '0x' + minor.toString(16)})`;
}

/** ` -1 ENOENT (No such file or directory)` without the leading `-1 `; `(errno N)` when unknown. */
export function printErrno(errno: number): string {
  const name = linuxErrnoName(errno);
  if (!name) return `(errno ${errno})`;
  return `${name} (${linuxStrerror(errno)})`;
}

// A machine's run-time state in .ksim/: when it booted (uptime continues across ksim invocations
// until `ksim reboot`), and the next pid to hand out (so concurrent runs on one machine get
// distinct pids, as processes of one kernel do).
import type { Host } from '../host/host.js';
import { STATE_DIR } from './config.js';

export interface BootRecord {
  bootWallMs: number;
  /** Changes at every reboot; stale state (e.g. a built kernel) can compare against it. */
  bootId: string;
}

export function stateDir(dir: string): string {
  return `${dir}/${STATE_DIR}`;
}

function ensureStateDir(host: Host, dir: string): string {
  const s = stateDir(dir);
  if (!host.fs.exists(s)) host.fs.mkdir(s, true);
  return s;
}

/** The machine's boot record, creating it (booting the machine) on first use. */
export function readBoot(host: Host, dir: string): BootRecord {
  const s = ensureStateDir(host, dir);
  const file = `${s}/boot.json`;
  return host.fs.withLock(`${s}/boot.lock`, () => {
    if (host.fs.exists(file)) {
      try {
        const r = JSON.parse(new TextDecoder().decode(host.fs.readFile(file))) as BootRecord;
        if (typeof r.bootWallMs === 'number') return r;
      } catch {
        /* a torn file from a killed process: boot again */
      }
    }
    const rec = { bootWallMs: host.clock.wallMs() - 1000, bootId: Math.random().toString(16).slice(2, 10) };
    host.fs.writeFile(file, JSON.stringify(rec) + '\n');
    return rec;
  });
}

/** Forgets the boot record, the next pid and the kernel's memory: the next command boots a fresh kernel. */
export function resetBoot(host: Host, dir: string): void {
  const s = ensureStateDir(host, dir);
  for (const f of ['boot.json', 'next-pid', 'kmem.json']) {
    if (host.fs.exists(`${s}/${f}`)) host.fs.unlink(`${s}/${f}`);
  }
}

/** Reserves `count` pids for a run and returns the first. */
export function reservePids(host: Host, dir: string, count: number): number {
  const s = ensureStateDir(host, dir);
  const file = `${s}/next-pid`;
  return host.fs.withLock(`${s}/pid.lock`, () => {
    let next = 1000;
    if (host.fs.exists(file)) {
      const n = Number(new TextDecoder().decode(host.fs.readFile(file)).trim());
      if (Number.isInteger(n) && n >= 2) next = n;
    }
    let after = next + count;
    if (after > 4_000_000) after = 1000 + count; // wrap like pid_max
    host.fs.writeFile(file, `${after}\n`);
    return next > 4_000_000 ? 1000 : next;
  });
}

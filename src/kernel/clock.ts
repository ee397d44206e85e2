// The kernel's clock. Uptime continues across ksim invocations (the machine's boot time is kept in
// .ksim/), so a fresh Kernel starts from a given uptime. In deterministic mode time advances only
// with emulated work (CPU units and syscalls) and sleeps, so the same run gives the same stamps.

export interface KernelClock {
  /** Nanoseconds since boot. */
  uptimeNs(): number;
  /** Wall-clock nanoseconds since the epoch (for CLOCK_REALTIME and dmesg -T). */
  wallNs(): number;
  /** Accounts emulated work: CPU units run. */
  advanceWork(units: number): void;
  /** Waits (or jumps, when deterministic) until uptime reaches ns. */
  waitUntil(ns: number): void;
  readonly deterministic: boolean;
}

/** Emulated nanoseconds per CPU unit (a loop back-edge or a call) and per syscall. */
export const NS_PER_UNIT = 2;
export const NS_PER_SYSCALL = 150;

/** A clock that advances only with emulated work and sleeps. */
export class VirtualClock implements KernelClock {
  readonly deterministic = true;
  private now: number;
  constructor(
    startUptimeNs = 0,
    private readonly bootWallNs = 1_700_000_000_000_000_000,
  ) {
    this.now = startUptimeNs;
  }
  uptimeNs(): number {
    return this.now;
  }
  wallNs(): number {
    return this.bootWallNs + this.now;
  }
  advanceWork(units: number): void {
    this.now += units * NS_PER_UNIT;
  }
  advance(ns: number): void {
    this.now += ns;
  }
  waitUntil(ns: number): void {
    if (ns > this.now) this.now = ns;
  }
}

/** Real time: uptime = host wall clock minus the machine's boot time. */
export class RealClock implements KernelClock {
  readonly deterministic = false;
  constructor(
    private readonly host: { wallMs(): number; monotonicNs(): number },
    private readonly bootWallMs: number,
    /** Sleeps the host; returning true ends a wait early (a ^C typed at the terminal woke someone). */
    private readonly sleep: (ms: number) => void | boolean,
  ) {
    this.monoStart = host.monotonicNs();
    this.wallStartNs = host.wallMs() * 1e6;
  }
  private monoStart: number;
  private wallStartNs: number;
  wallNs(): number {
    return this.wallStartNs + (this.host.monotonicNs() - this.monoStart);
  }
  uptimeNs(): number {
    return Math.max(0, this.wallNs() - this.bootWallMs * 1e6);
  }
  advanceWork(): void {}
  waitUntil(ns: number): void {
    for (;;) {
      const left = ns - this.uptimeNs();
      if (left <= 0) return;
      if (this.sleep(Math.max(1, Math.ceil(left / 1e6))) === true) return;
    }
  }
}

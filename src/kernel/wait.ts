// Sleeping and waking: a task whose syscall cannot complete now (an empty pipe, wait4 with no
// zombie child, nanosleep) sleeps on a wait queue; a wake makes it runnable again and the syscall
// is run again from its start (handlers are written to be restartable until they succeed).

/** The minimal view of a task a wait queue needs (implemented by Task). */
export interface Sleeper {
  wake(): void;
}

export class WaitQueue {
  private sleepers = new Set<Sleeper>();
  constructor(readonly name: string) {}

  add(t: Sleeper): void {
    this.sleepers.add(t);
  }

  remove(t: Sleeper): void {
    this.sleepers.delete(t);
  }

  /** Wakes every sleeper (they re-check their condition when they run). */
  wakeAll(): void {
    const all = [...this.sleepers];
    this.sleepers.clear();
    for (const t of all) t.wake();
  }

  get size(): number {
    return this.sleepers.size;
  }
}

/** What a handler returns to say "put the task to sleep and run this syscall again when woken". */
export const BLOCK: unique symbol = Symbol('BLOCK');
export type Block = typeof BLOCK;

// strace -c: per-syscall counts, errors and time, printed as strace's count.c prints its table
// (`%6.2f %11.6f %11lu %9u %9.u %s`), sorted by -S (time by default, ties in syscall-number order).
import type { SortBy } from './options.js';

interface Count {
  name: string;
  nr: number;
  calls: number;
  errors: number;
  timeNs: number;
}

const DASHES = '------ ----------- ----------- --------- --------- ----------------';

function pad(s: string, width: number, left = false): string {
  return left ? s.padEnd(width) : s.padStart(width);
}

export class SyscallSummary {
  private readonly counts = new Map<string, Count>();

  record(name: string, nr: number, failed: boolean, timeNs: number): void {
    let c = this.counts.get(name);
    if (!c) {
      c = { name, nr, calls: 0, errors: 0, timeNs: 0 };
      this.counts.set(name, c);
    }
    c.calls++;
    if (failed) c.errors++;
    c.timeNs += Math.max(0, timeNs);
  }

  get empty(): boolean {
    return this.counts.size === 0;
  }

  /** The table, as strace prints it at the end of the trace. */
  format(sortBy: SortBy): string {
    const rows = [...this.counts.values()].sort((a, b) => a.nr - b.nr);
    const cmp: Record<SortBy, ((a: Count, b: Count) => number) | undefined> = {
      time: (a, b) => b.timeNs - a.timeNs,
      calls: (a, b) => b.calls - a.calls,
      errors: (a, b) => b.errors - a.errors,
      name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      nothing: undefined,
    };
    const sorter = cmp[sortBy];
    if (sorter) rows.sort(sorter);
    const totalNs = rows.reduce((s, r) => s + r.timeNs, 0);
    const totalCalls = rows.reduce((s, r) => s + r.calls, 0);
    const totalErrors = rows.reduce((s, r) => s + r.errors, 0);
    const usecs = (ns: number, calls: number) => (calls ? Math.floor(ns / 1000 / calls) : 0);
    const errors = (n: number) => pad(n ? String(n) : '', 9);
    const lines = [
      `${pad('% time', 6)} ${pad('seconds', 11)} ${pad('usecs/call', 11)} ${pad('calls', 9)} ${pad('errors', 9)} syscall`,
      DASHES,
    ];
    for (const r of rows) {
      const pct = totalNs ? (r.timeNs * 100) / totalNs : 0;
      lines.push(`${pad(pct.toFixed(2), 6)} ${pad((r.timeNs / 1e9).toFixed(6), 11)} ${pad(String(usecs(r.timeNs, r.calls)), 11)} ` +
        `${pad(String(r.calls), 9)} ${errors(r.errors)} ${r.name}`);
    }
    lines.push(DASHES);
    lines.push(`${pad('100.00', 6)} ${pad((totalNs / 1e9).toFixed(6), 11)} ${pad(String(usecs(totalNs, totalCalls)), 11)} ` +
      `${pad(String(totalCalls), 9)} ${errors(totalErrors)} total`);
    return lines.join('\n') + '\n';
  }
}

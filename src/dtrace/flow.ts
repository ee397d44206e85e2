// dtrace -F (the flowindent option): the `CPU FUNCTION` header and each record's prefix, indented
// two columns per entry and unindented at each return, as dt_consume.c's dt_flowindent() and
// dtrace.c's chew() print them: ` -> func` at an entry, ` <- func` at a return (` => ` / ` <= ` for
// the syscall provider), `| func:name` for any other probe. A probe name counts as an entry when it
// is `entry` or ends in `-entry` (likewise `return`). Two heuristics of dt_flowindent: a second
// clause's record for the same entry does not indent again, and a return whose next record is
// another clause of the same probe does not unindent yet.
import type { ProbeInfo } from './catalog.js';
import { FLOW_HEADER } from './output.js';

type Flow = 'entry' | 'return' | 'none';

function flowOf(name: string): Flow {
  const is = (word: string) => name === word || name.endsWith(`-${word}`);
  return is('entry') ? 'entry' : is('return') ? 'return' : 'none';
}

export class FlowIndent {
  private indent = 0;
  private lastEpid = 0;
  private lastProbeId = -1;
  private headerDone = false;

  /**
   * The text before a record's data: the header first, once. next: the record that follows in the
   * same firing (another clause of the same probe), if any.
   */
  prefix(epid: number, probe: ProbeInfo, cpu: number, next: { epid: number; probeId: number } | undefined): string {
    let out = '';
    if (!this.headerDone) {
      out += FLOW_HEADER;
      this.headerDone = true;
    }
    let flow = flowOf(probe.name);
    if (flow === 'entry' && this.lastEpid !== 0 && this.lastEpid !== epid && this.lastProbeId === probe.id) flow = 'none';
    if (flow === 'return' && next && next.epid !== epid && next.probeId === probe.id) flow = 'none';
    const syscall = probe.provider === 'syscall';
    const str = flow === 'entry' ? (syscall ? ' => ' : ' -> ') : flow === 'return' ? (syscall ? ' <= ' : ' <- ') : '| ';
    if (flow === 'return' && this.indent > 0) this.indent -= 2;
    const name = `${' '.repeat(this.indent)}${str}${probe.func}${flow === 'none' ? `:${probe.name}` : ''}`;
    out += `${String(cpu).padStart(3)} ${name.padEnd(41)} `;
    if (flow === 'entry') this.indent += 2;
    this.lastEpid = epid;
    this.lastProbeId = probe.id;
    return out;
  }
}

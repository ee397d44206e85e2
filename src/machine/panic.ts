// A machine that panicked stays down: the panic is recorded in .ksim/panic.json, every later
// command that boots the machine refuses with the panic message until `ksim reboot` clears it
// (`ksim dmesg` still shows the panic, as the message buffer survives a real warm reboot).
import type { Host } from '../host/host.js';
import { stateDir } from './state.js';

export interface PanicRecord {
  /** The panic message, without "panic: " (e.g. "page fault"). */
  message: string;
}

const FILE = 'panic.json';

export function readPanic(host: Host, dir: string): PanicRecord | undefined {
  const f = `${stateDir(dir)}/${FILE}`;
  if (!host.fs.exists(f)) return undefined;
  try {
    const r = JSON.parse(new TextDecoder().decode(host.fs.readFile(f))) as PanicRecord;
    return typeof r.message === 'string' ? r : { message: 'unknown' };
  } catch {
    return { message: 'unknown' }; // a torn record still means the machine went down
  }
}

export function writePanic(host: Host, dir: string, rec: PanicRecord): void {
  const s = stateDir(dir);
  if (!host.fs.exists(s)) host.fs.mkdir(s, true);
  host.fs.writeFile(`${s}/${FILE}`, JSON.stringify(rec) + '\n');
}

export function clearPanic(host: Host, dir: string): void {
  const f = `${stateDir(dir)}/${FILE}`;
  if (host.fs.exists(f)) host.fs.unlink(f);
}

/** What a command says when the machine is down. */
export function panickedText(rec: PanicRecord): string {
  return `the machine panicked (panic: ${rec.message}) and is stopped; run \`ksim reboot\` (\`ksim dmesg\` shows the panic)`;
}

// System-wide dtrace on Node: the registry of running consumers in a machine's `.ksim/dtrace/`
// (one `PID.json` per `ksim dtrace` started without -c, with its records file `PID.records`), the
// hook every ksim command that boots the machine calls (attachSystemwideConsumers: one readdir,
// nothing more when it is empty; entries of dead consumers are removed), and the consumer's side
// (registerConsumer, tailRecords). The record protocol itself is src/dtrace/remote.ts.
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Host } from '../host/host.js';
import type { Session } from './session.js';
import type { RemoteSpec } from '../dtrace/remote.js';

interface Registration {
  ksimDtrace: 1;
  pid: number;
  /** The records file, relative to the registry directory. */
  records: string;
  spec: RemoteSpec;
}

export function registryDir(machineDir: string): string {
  return `${machineDir}/.ksim/dtrace`;
}

/** Whether pid is still a consumer: alive, and (where /proc tells) a process running ksim dtrace. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch {
    return true; // no /proc (macOS) or not ours to read: the pid is all we know
  }
  // A reused pid belongs to some other program.
  return cmdline.split('\0').includes('dtrace');
}

function removeQuietly(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // Already gone (its consumer or another run removed it).
  }
}

/**
 * Registers this process as a system-wide consumer of the machine: the records file first, then
 * the registration (written to a temporary name and renamed, so a run never reads half of it).
 */
export function registerConsumer(machineDir: string, spec: RemoteSpec): { recordsPath: string; unregister(): void; removeRecords(): void } {
  const dir = registryDir(machineDir);
  fs.mkdirSync(dir, { recursive: true });
  const pid = process.pid;
  const recordsPath = `${dir}/${pid}.records`;
  const entryPath = `${dir}/${pid}.json`;
  fs.writeFileSync(recordsPath, '');
  const reg: Registration = { ksimDtrace: 1, pid, records: `${pid}.records`, spec };
  fs.writeFileSync(`${entryPath}.tmp`, JSON.stringify(reg));
  fs.renameSync(`${entryPath}.tmp`, entryPath);
  return {
    recordsPath,
    unregister: () => removeQuietly(entryPath),
    removeRecords: () => removeQuietly(recordsPath),
  };
}

/** The live registrations of the machine; a dead consumer's files are removed. */
function liveRegistrations(machineDir: string): { reg: Registration; recordsPath: string }[] {
  const dir = registryDir(machineDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: { reg: Registration; recordsPath: string }[] = [];
  for (const name of names) {
    if (!/^\d+\.json$/.test(name)) continue;
    let reg: Registration;
    try {
      reg = JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8')) as Registration;
    } catch {
      continue; // removed meanwhile, or not ours
    }
    if (reg?.ksimDtrace !== 1 || typeof reg.pid !== 'number' || typeof reg.records !== 'string' || reg.records.includes('/')) continue;
    if (reg.pid === process.pid) continue;
    if (!alive(reg.pid)) {
      removeQuietly(`${dir}/${name}`);
      removeQuietly(`${dir}/${reg.records}`);
      continue;
    }
    out.push({ reg, recordsPath: `${dir}/${reg.records}` });
  }
  return out;
}

/**
 * Enables, in this command's kernel, the clauses of every consumer running on the machine without
 * -c. Records are appended with one write each as they happen; aggregations go at least every
 * 200 ms while probes fire, before the run blocks, and when the session closes. With watch (a
 * long session: `ksim shell`), the registry is read again after each read of terminal input, so a
 * consumer started meanwhile sees the next command lines, and one that ended is let go.
 */
export async function attachSystemwideConsumers(host: Host, machineDir: string, session: Session, opts: { watch?: boolean } = {}): Promise<void> {
  const regs = liveRegistrations(machineDir);
  if (regs.length === 0 && !opts.watch) return;
  const [{ remoteSession }, { KernelProbes }] = await Promise.all([import('../dtrace/remote.js'), import('../dtrace/kernel-provider.js')]);
  const k = session.machine.kernel;
  const attached = new Map<number, { flush(): void; close(): void }>();
  const attach = ({ reg, recordsPath }: { reg: Registration; recordsPath: string }) => {
    // A consumer whose script does not compile here is reported once, then left alone.
    attached.set(reg.pid, { flush: () => {}, close: () => {} });
    let fd: number;
    try {
      // No O_CREAT: a consumer that ended meanwhile took its records file with it.
      fd = fs.openSync(recordsPath, fs.constants.O_WRONLY | fs.constants.O_APPEND);
    } catch {
      return;
    }
    const write = (line: string) => {
      try {
        fs.writeSync(fd, `${line}\n`);
      } catch {
        // The consumer's disk is full or the file is gone: tracing must not break the run.
      }
    };
    const probes = new KernelProbes(session.machine.rows, () => k.clock.uptimeNs(), { kernel: k, kc: session.machine.kc });
    const s = remoteSession(reg.spec, probes.catalog, write, () => host.clock.monotonicNs() / 1e6, () => k.clock.uptimeNs());
    if (typeof s === 'string') {
      write(JSON.stringify({ e: s }));
      fs.closeSync(fd);
      return;
    }
    probes.bind(s);
    k.attach(probes);
    attached.set(reg.pid, {
      flush: () => s.flush(),
      close: () => {
        s.flush();
        k.detach(probes);
        fs.closeSync(fd);
      },
    });
  };
  for (const r of regs) attach(r);
  if (attached.size === 0 && !opts.watch) return;
  // Before the run blocks (terminal input, a sleep), its aggregations go out: a consumer stopped
  // with ^C meanwhile has every count made so far.
  const flushAll = () => {
    for (const a of attached.values()) a.flush();
  };
  const rescan = () => {
    const live = liveRegistrations(machineDir);
    const pids = new Set(live.map((r) => r.reg.pid));
    for (const [pid, a] of attached) {
      if (!pids.has(pid)) {
        a.close();
        attached.delete(pid);
      }
    }
    for (const r of live) if (!attached.has(r.reg.pid)) attach(r);
  };
  const con = k.console;
  const read = con.read.bind(con);
  con.read = (max) => {
    flushAll();
    const data = read(max);
    if (opts.watch) rescan();
    return data;
  };
  const clock = k.clock;
  const waitUntil = clock.waitUntil.bind(clock);
  clock.waitUntil = (ns) => {
    flushAll();
    waitUntil(ns);
  };
  const close = session.close;
  session.close = () => {
    for (const a of attached.values()) a.close();
    close();
  };
}

/**
 * Follows a records file from the start: each call reads what was appended since the last one
 * and returns its complete lines.
 */
export function tailRecords(path: string): () => string[] {
  const fd = fs.openSync(path, 'r');
  let offset = 0;
  let partial = '';
  const buf = Buffer.alloc(1 << 16);
  const decoder = new StringDecoder('utf8');
  return () => {
    const lines: string[] = [];
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) break;
      offset += n;
      partial += decoder.write(buf.subarray(0, n));
    }
    const nl = partial.lastIndexOf('\n');
    if (nl >= 0) {
      lines.push(...partial.slice(0, nl).split('\n'));
      partial = partial.slice(nl + 1);
    }
    return lines;
  };
}

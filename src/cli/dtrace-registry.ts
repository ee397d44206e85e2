// System-wide dtrace on Node: the registry of running consumers in a machine's `.ksim/dtrace/`
// (one `PID.json` per `ksim dtrace` started without -c, with its records file `PID.records`), the
// hook every ksim command that boots the machine calls (attachSystemwideConsumers: one readdir,
// nothing more when it is empty; entries of dead consumers are removed), and the consumer's side
// (registerConsumer, tailRecords). The record protocol itself is src/dtrace/remote.ts.
//
// dtrace -p PID (a process of another running ksim command): the consumer registers a grab
// request (`grab`: the pid, no spec yet); every run polls the registry between time slices and
// during long sleeps (at most every GRAB_POLL_MS of wall time: one clock read per slice), and the
// run whose kernel has the pid answers in the records file ({"g":PID,"host":ITS_PID}), then with the
// pid provider's view of the process's image ({"gi":PID,"image":...}); the consumer compiles
// against it and registers its
// spec; the run enables it on that process ({"ga":PID}) until the process exits ({"gx":PID}) or
// the consumer goes away. A pid no run answers for within GRAB_WAIT_MS does not exist.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { packageRoot } from '../toolchain/node-sysroot.js';
import { StringDecoder } from 'node:string_decoder';
import type { Host } from '../host/host.js';
import type { Session } from './session.js';
import type { RemoteSpec } from '../dtrace/remote.js';
import type { PidTargetImage } from '../dtrace/pid-provider.js';

interface Registration {
  ksimDtrace: 1;
  pid: number;
  /** The records file, relative to the registry directory. */
  records: string;
  /** null: a grab request the consumer has not compiled yet. */
  spec: RemoteSpec | null;
  /** dtrace -p: the machine's pid to trace (only the run that has it enables the spec). */
  grab?: number;
}

/** How often a run looks for grab requests (wall milliseconds). */
const GRAB_POLL_MS = 100;
/** How long a consumer waits for a run to answer a grab request (wall milliseconds). */
export const GRAB_WAIT_MS = 1500;

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
export function registerConsumer(machineDir: string, spec: RemoteSpec | null, grab?: number): ConsumerRegistration {
  const dir = registryDir(machineDir);
  fs.mkdirSync(dir, { recursive: true });
  const pid = process.pid;
  const recordsPath = `${dir}/${pid}.records`;
  const entryPath = `${dir}/${pid}.json`;
  fs.writeFileSync(recordsPath, '');
  const write = (spec: RemoteSpec | null) => {
    const reg: Registration = { ksimDtrace: 1, pid, records: `${pid}.records`, spec, ...(grab !== undefined ? { grab } : {}) };
    fs.writeFileSync(`${entryPath}.tmp`, JSON.stringify(reg));
    fs.renameSync(`${entryPath}.tmp`, entryPath);
  };
  write(spec);
  return {
    recordsPath,
    setSpec: (s) => write(s),
    unregister: () => removeQuietly(entryPath),
    removeRecords: () => removeQuietly(recordsPath),
  };
}

export interface ConsumerRegistration {
  recordsPath: string;
  /** Registers the compiled spec (a grab request's second step). */
  setSpec(spec: RemoteSpec): void;
  unregister(): void;
  removeRecords(): void;
}

/** Every well-formed registration file in the registry directory, with its file name. */
function readRegistrations(dir: string): { name: string; reg: Registration }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: { name: string; reg: Registration }[] = [];
  for (const name of names) {
    if (!/^\d+\.json$/.test(name)) continue;
    let reg: Registration;
    try {
      reg = JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8')) as Registration;
    } catch {
      continue; // removed meanwhile, or not ours
    }
    if (reg?.ksimDtrace !== 1 || typeof reg.pid !== 'number' || typeof reg.records !== 'string' || reg.records.includes('/')) continue;
    out.push({ name, reg });
  }
  return out;
}

/** The live registrations of the machine; a dead consumer's files are removed. */
function liveRegistrations(machineDir: string): { reg: Registration; recordsPath: string }[] {
  const dir = registryDir(machineDir);
  const out: { reg: Registration; recordsPath: string }[] = [];
  for (const { name, reg } of readRegistrations(dir)) {
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
  watchGrabs(host, machineDir, session);
  const regs = liveRegistrations(machineDir).filter((r) => r.reg.grab === undefined && r.reg.spec);
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
    const s = remoteSession(reg.spec!, probes.catalog, write, () => host.clock.monotonicNs() / 1e6, () => k.clock.uptimeNs());
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
    const live = liveRegistrations(machineDir).filter((r) => r.reg.grab === undefined && r.reg.spec);
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

type DtraceModules = typeof import('../dtrace/remote.js') & typeof import('../dtrace/kernel-provider.js') & typeof import('../dtrace/pid-provider.js');
let dtraceLoaded: DtraceModules | undefined;

/**
 * The D runtime for a run that must enable a grab request in the middle of its time slices, which
 * never return to the event loop (so import() would not finish): loaded synchronously (require of
 * ES modules, Node >= 20.19), once, from tsc's per-module output in dist/, since the bundled
 * command may not carry it. Only a run named by a grab request pays for it.
 */
function dtraceModules(): DtraceModules {
  if (!dtraceLoaded) {
    const req = createRequire(import.meta.url);
    const dir = `${packageRoot()}/dist/dtrace`;
    dtraceLoaded = { ...req(`${dir}/remote.js`), ...req(`${dir}/kernel-provider.js`), ...req(`${dir}/pid-provider.js`) } as DtraceModules;
  }
  return dtraceLoaded;
}

/**
 * A run's side of dtrace -p: between time slices (at most every GRAB_POLL_MS), during long sleeps
 * and before terminal reads, reads the registry for grab requests of pids its kernel has; answers
 * each with the process's image, enables its spec once registered, and sends {"gx":PID} when the
 * process exits. Nothing is attached to the kernel unless a request names one of its processes.
 */
function watchGrabs(host: Host, machineDir: string, session: Session): void {
  const k = session.machine.kernel;
  const dir = registryDir(machineDir);
  interface Grab {
    write(line: string): void;
    /** Sends the aggregations made so far (before the run blocks). */
    flush(): void;
    attached: boolean;
    close(): void;
  }
  const grabs = new Map<number, Grab>();
  /** A consumer's records file, opened for appending (undefined: it went away meanwhile). */
  const open = (recordsPath: string): Grab | undefined => {
    let fd: number;
    try {
      fd = fs.openSync(recordsPath, fs.constants.O_WRONLY | fs.constants.O_APPEND);
    } catch {
      return undefined;
    }
    let closed = false;
    const g: Grab = {
      attached: false,
      flush: () => {},
      write: (line) => {
        try {
          fs.writeSync(fd, `${line}\n`);
        } catch {
          // The consumer's file is gone: tracing must not break the run.
        }
      },
      close: () => {
        if (closed) return;
        closed = true;
        fs.closeSync(fd);
      },
    };
    return g;
  };
  const attach = (reg: Registration, g: Grab, pid: number) => {
    const { remoteSession, KernelProbes, pidImageOf } = dtraceModules();
    const task = k.tasks.get(pid);
    const image = task?.image as { json?: import('../cc/link.js').ImageJson; name?: string } | null;
    g.attached = true;
    if (!task || task.state === 'zombie') {
      g.write(JSON.stringify({ gx: pid }));
      return;
    }
    const probes = new KernelProbes(session.machine.rows, () => k.clock.uptimeNs(), { kernel: k, kc: session.machine.kc });
    if (image?.json) probes.addTarget(pid, pidImageOf(image.json, image.name ?? ''), k, true);
    const s = remoteSession(reg.spec!, probes.catalog, g.write, () => host.clock.monotonicNs() / 1e6, () => k.clock.uptimeNs());
    if (typeof s === 'string') {
      g.write(JSON.stringify({ e: s }));
      g.write(JSON.stringify({ gx: pid }));
      return;
    }
    probes.bind(s);
    const watcher = {
      exit: (e: { task: { pid: number } }) => {
        if (e.task.pid !== pid) return;
        stop();
        g.write(JSON.stringify({ gx: pid }));
      },
    };
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      s.flush();
      k.detach(probes);
      k.detach(watcher);
      probes.release();
    };
    k.attach(probes);
    k.attach(watcher);
    g.flush = () => {
      if (!stopped) s.flush();
    };
    g.write(JSON.stringify({ ga: pid }));
    const close = g.close;
    g.close = () => {
      stop();
      close();
    };
  };
  const scan = () => {
    const present = new Set<number>();
    for (const { reg } of readRegistrations(dir)) {
      if (typeof reg.grab !== 'number') continue;
      const task = k.tasks.get(reg.grab);
      // A consumer killed without unregistering: let its process go (liveRegistrations removes the files).
      if ((grabs.has(reg.pid) || (task && task.state !== 'zombie')) && !alive(reg.pid)) continue;
      if (!grabs.has(reg.pid) && (!task || task.state === 'zombie')) continue;
      present.add(reg.pid);
      let g = grabs.get(reg.pid);
      if (!g) {
        g = open(`${dir}/${reg.records}`);
        if (!g) continue;
        grabs.set(reg.pid, g);
        // Found (at once), then the image the pid provider sees, for the consumer to compile against.
        g.write(JSON.stringify({ g: reg.grab, host: process.pid }));
        const image = task!.image as { json?: import('../cc/link.js').ImageJson; name?: string } | null;
        const pidImage: PidTargetImage | null = image?.json ? dtraceModules().pidImageOf(image.json, image.name ?? '') : null;
        g.write(JSON.stringify({ gi: reg.grab, image: pidImage }));
        continue;
      }
      if (reg.spec && !g.attached) attach(reg, g, reg.grab);
    }
    // A consumer that went away (exit(), ^C): its process runs on untraced.
    for (const [pid, g] of grabs) {
      if (!present.has(pid)) {
        g.close();
        grabs.delete(pid);
      }
    }
  };
  let last = host.clock.monotonicNs();
  const poll = () => {
    const now = host.clock.monotonicNs();
    if (now - last < GRAB_POLL_MS * 1e6) return;
    last = now;
    scan();
  };
  const after = k.afterSlice;
  k.afterSlice = () => {
    after?.();
    poll();
  };
  // A long sleep is waited in steps, so a request made meanwhile is answered.
  const clock = k.clock;
  const waitUntil = clock.waitUntil.bind(clock);
  clock.waitUntil = (ns) => {
    for (;;) {
      for (const g of grabs.values()) g.flush();
      const step = Math.min(ns, clock.uptimeNs() + GRAB_POLL_MS * 1e6);
      waitUntil(step);
      poll();
      // The deadline passed, or the wait ended early or woke a task (^C at the terminal: the
      // clock's sleep reports it only to this step's wait).
      if (step >= ns || clock.uptimeNs() < step) return;
      for (const t of k.tasks.values()) if (t.state === 'runnable') return;
    }
  };
  const close = session.close;
  session.close = () => {
    for (const g of grabs.values()) g.close();
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

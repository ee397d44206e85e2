// host-build.ts: builds a C test program twice with the host gcc — once against ksim's libc and
// headers (freestanding, with tests/libc/host-shim.c standing in for ksim's compiler and loader),
// once against the host glibc — and runs a build with fixed argv[0], environment and stdio, so the
// libc tests can compare the two runs byte for byte.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, basename } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const programsDir = join(repoRoot, 'tests', 'libc', 'programs');

/** True when a gcc that can build x86_64 Linux programs is on PATH. */
export function hostGccAvailable(): boolean {
  if (process.platform !== 'linux' || process.arch !== 'x64') return false;
  const probe = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

const ksimFlags = [
  '-nostdlib', '-nostdinc', '-ffreestanding', '-fno-builtin', '-fno-stack-protector',
  '-fno-pie', '-O2', '-fno-tree-loop-distribute-patterns', '-DKSIM_HOST_TEST', '-I', join(repoRoot, 'include'),
];
/** The libc itself must compile without a warning; test programs are checked against glibc's output. */
const libcWarnings = ['-Wall', '-Wextra', '-Werror'];

/** True when util-linux `script` can give a program a pseudo-terminal. */
export function scriptAvailable(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Runs an executable on a pseudo-terminal (through `script`); returns what the terminal received. */
export async function runOnTerminal(path: string): Promise<string> {
  const { stdout } = await run('script', ['-qec', path, '/dev/null'], { env: fixedEnv, encoding: 'latin1' });
  return stdout;
}

export interface Builds {
  dir: string;
  /** Paths of the two executables for a program name (file name without .c). */
  ksim(name: string): string;
  glibc(name: string): string;
  dispose(): void;
}

/** Compiles the libc once, then every named program against both libcs (or glibc only), in parallel. */
export async function buildAll(names: string[], which: { ksimLibc?: boolean } = {}): Promise<Builds> {
  const withKsimLibc = which.ksimLibc ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'ksim-libc-'));
  const objDir = join(dir, 'obj');
  mkdirSync(objDir);
  const libcSources = readdirSync(join(repoRoot, 'libc'))
    .filter((f) => f.endsWith('.c'))
    .map((f) => join(repoRoot, 'libc', f));
  const sources = [...libcSources, join(repoRoot, 'tests', 'libc', 'host-shim.c')];
  const objects = await Promise.all(
    (withKsimLibc ? sources : []).map(async (src) => {
      const obj = join(objDir, basename(src, '.c') + '.o');
      await gcc([...ksimFlags, ...libcWarnings, '-c', src, '-o', obj]);
      return obj;
    }),
  );
  await Promise.all(
    names.flatMap((name) => {
      const src = join(programsDir, name + '.c');
      const glibc = gcc(['-O0', '-w', '-D_GNU_SOURCE', src, '-o', join(dir, name + '.glibc'), '-lm']);
      if (!withKsimLibc) return [glibc];
      return [
        gcc([...ksimFlags, '-w', '-static', '-no-pie', src, ...objects, '-Wl,-e,__host_start', '-lgcc', '-o', join(dir, name + '.ksim')]),
        glibc,
      ];
    }),
  );
  return {
    dir,
    ksim: (name) => join(dir, name + '.ksim'),
    glibc: (name) => join(dir, name + '.glibc'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function gcc(args: string[]): Promise<void> {
  try {
    await run('gcc', args, { maxBuffer: 16 << 20 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`gcc ${args.join(' ')}\n${e.stderr ?? e.message}`);
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status, or null when killed by a signal. */
  status: number | null;
  signal: string | null;
}

export interface RunOptions {
  args?: string[];
  argv0?: string;
  /** 'pipe' (default): stdout and stderr are separate pipes. 'file': both go to one file, in order. */
  output?: 'pipe' | 'file';
  cwd?: string;
  /** Bytes for stdin (default: /dev/null). */
  input?: string;
}

export const fixedEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/nonexistent-home', LANG: 'C', LC_ALL: 'C' };

/** Runs an executable with a fixed environment and argv[0], stdin from options.input or /dev/null. */
export async function runProgram(path: string, options: RunOptions = {}): Promise<RunResult> {
  const argv0 = options.argv0 ?? 'test';
  if (options.output === 'file') {
    const outPath = `${path}.${process.hrtime.bigint()}.out`;
    const fd = openSync(outPath, 'w');
    try {
      const { status, signal } = await spawnAndWait(path, options, argv0, [stdinMode(options), fd, fd]);
      return { stdout: readFileSync(outPath, 'latin1'), stderr: '', status, signal };
    } finally {
      closeSync(fd);
      rmSync(outPath, { force: true });
    }
  }
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const { status, signal } = await spawnAndWait(path, options, argv0, [stdinMode(options), 'pipe', 'pipe'], (child) => {
    child.stdout!.on('data', (b: Buffer) => stdout.push(b));
    child.stderr!.on('data', (b: Buffer) => stderr.push(b));
  });
  return {
    stdout: Buffer.concat(stdout).toString('latin1'),
    stderr: Buffer.concat(stderr).toString('latin1'),
    status,
    signal,
  };
}

function stdinMode(options: RunOptions): 'ignore' | 'pipe' {
  return options.input === undefined ? 'ignore' : 'pipe';
}

function spawnAndWait(
  path: string,
  options: RunOptions,
  argv0: string,
  stdio: ('ignore' | 'pipe' | number)[],
  attach?: (child: ReturnType<typeof spawn>) => void,
): Promise<{ status: number | null; signal: string | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(path, options.args ?? [], { argv0, env: fixedEnv, stdio, cwd: options.cwd });
    attach?.(child);
    if (options.input !== undefined) child.stdin!.end(options.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal });
    });
  });
}

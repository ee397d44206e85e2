// Drives `ksim shell` on a pseudo-terminal through tests/shell/pty-driver.py (Python's pty module):
// ptyUnavailable() says why a host cannot (the tests skip, saying so), drive() plays the steps
// (send keys, expect text, sleep) in a machine directory and returns the transcript; initMachine()
// makes the machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const KSIM = path.resolve(import.meta.dirname, '../../bin/run.js');
const driver = path.resolve(import.meta.dirname, 'pty-driver.py');

/** Why this host cannot make a pseudo-terminal for the tests, or undefined when it can. */
export function ptyUnavailable(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import pty, select, json'], { encoding: 'utf8' });
  if (r.error) return 'no python3 on this host to make a pseudo-terminal';
  if (r.status !== 0) return "python3 has no 'pty' module on this host";
  return undefined;
}

export type Step = { send: string } | { expect: string; timeout?: number } | { sleep: number };

/** Runs `ksim shell` in dir on a pseudo-terminal through the steps. */
export function drive(dir: string, steps: Step[]): { transcript: string; status: number | null; failed: unknown } {
  const r = spawnSync('python3', [driver, process.execPath, KSIM, 'shell'], {
    cwd: dir,
    input: JSON.stringify(steps),
    encoding: 'utf8',
    env: { ...process.env, KSIM_MACHINE: '', TERM: 'xterm' },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** `ksim init m` in a fresh temporary directory: its status and the machine's directory. */
export function initMachine(prefix: string): { status: number | null; dir: string } {
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const r = spawnSync(process.execPath, [KSIM, 'init', 'm'], { cwd: work, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
  return { status: r.status, dir: path.join(work, 'm') };
}

// Test helper: runs the ksim command line (bin/run.js, from dist/) in a directory, with no machine
// chosen by the environment, and returns its status and output.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const KSIM_BIN = path.resolve(import.meta.dirname, '../../bin/run.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function ksimCli(args: string[], cwd: string, input?: string): CliResult {
  const r = spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd, encoding: 'utf8', input, env: { ...process.env, KSIM_MACHINE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

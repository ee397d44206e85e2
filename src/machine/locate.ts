// Finding the machine a command works on: --machine DIR, else KSIM_MACHINE, else the nearest
// ksim.json from the current directory upward, else the user's default machine (created on first
// use in the state directory).
import type { Host } from '../host/host.js';
import { CONFIG_FILE, MachineError, readConfig, type MachineConfig } from './config.js';
import { initMachine } from './init.js';

export interface LocatedMachine {
  dir: string;
  config: MachineConfig;
  /** How it was found, for messages. */
  how: 'flag' | 'env' | 'cwd' | 'default';
}

export function absolutePath(host: Host, p: string): string {
  const joined = p.startsWith('/') ? p : `${host.cwd()}/${p}`;
  const parts: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

export function locateMachine(host: Host, opts: { machine?: string } = {}): LocatedMachine {
  const explicit = opts.machine ?? host.env.KSIM_MACHINE;
  if (explicit) {
    const dir = absolutePath(host, explicit);
    if (!host.fs.exists(`${dir}/${CONFIG_FILE}`)) {
      throw new MachineError(`${dir}: not a ksim machine (no ${CONFIG_FILE}); create one with 'ksim init ${explicit}'`);
    }
    return { dir, config: readConfig(host, dir), how: opts.machine ? 'flag' : 'env' };
  }
  let dir = host.cwd();
  for (;;) {
    if (host.fs.exists(`${dir}/${CONFIG_FILE}`)) return { dir, config: readConfig(host, dir), how: 'cwd' };
    if (dir === '/' || dir === '') break;
    dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
  }
  const def = `${host.stateDir()}/default`;
  if (!host.fs.exists(`${def}/${CONFIG_FILE}`)) initMachine(host, def, {});
  return { dir: def, config: readConfig(host, def), how: 'default' };
}

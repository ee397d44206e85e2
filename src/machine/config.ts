// A machine's identity: ksim.json at the root of its directory. Everything ksim needs to know to
// boot it (OS, architecture, release, localversion) and nothing that changes at run time (that
// lives in .ksim/).
import type { Host } from '../host/host.js';

export type MachineOs = 'linux' | 'freebsd';
export type MachineArch = 'x86_64' | 'i386';

export interface MachineConfig {
  /** Format version of ksim.json. */
  ksim: 1;
  os: MachineOs;
  arch: MachineArch;
  release: string;
  /** Appended to the release by uname -r (CONFIG_LOCALVERSION), e.g. "-stephen". */
  localversion: string;
  hostname: string;
}

export const CONFIG_FILE = 'ksim.json';
export const STATE_DIR = '.ksim';

export class MachineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MachineError';
  }
}

export function readConfig(host: Host, dir: string): MachineConfig {
  const file = `${dir}/${CONFIG_FILE}`;
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(host.fs.readFile(file)));
  } catch (e) {
    throw new MachineError(`${file}: ${e instanceof SyntaxError ? `not valid JSON: ${e.message}` : 'cannot be read'}`);
  }
  const c = raw as Partial<MachineConfig>;
  const problems: string[] = [];
  if (c.os !== 'linux' && c.os !== 'freebsd') problems.push(`"os" must be "linux" or "freebsd"`);
  if (c.arch !== 'x86_64' && c.arch !== 'i386') problems.push(`"arch" must be "x86_64" or "i386"`);
  if (typeof c.release !== 'string') problems.push(`"release" must be a string`);
  if (problems.length) throw new MachineError(`${file}: ${problems.join('; ')}`);
  return {
    ksim: 1,
    os: c.os!,
    arch: c.arch!,
    release: c.release!,
    localversion: typeof c.localversion === 'string' ? c.localversion : '',
    hostname: typeof c.hostname === 'string' ? c.hostname : 'ksim',
  };
}

export function writeConfig(host: Host, dir: string, config: MachineConfig): void {
  host.fs.writeFile(`${dir}/${CONFIG_FILE}`, JSON.stringify(config, null, 2) + '\n');
}

/** uname -r: the release plus the local version. */
export function unameRelease(config: MachineConfig): string {
  return config.release + config.localversion;
}

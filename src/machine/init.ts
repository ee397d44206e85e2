// `ksim init`: creates a machine directory: ksim.json and a kernel source tree holding the stock
// syscall table of the chosen release in the kernel's own format, and an empty place for the
// user's kernel sources.
import type { Host } from '../host/host.js';
import { CONFIG_FILE, MachineError, writeConfig, type MachineArch, type MachineConfig, type MachineOs } from './config.js';
import {
  compareReleases,
  DEFAULT_FREEBSD_RELEASE,
  DEFAULT_LINUX_I386_RELEASE,
  DEFAULT_LINUX_RELEASE,
  isValidRelease,
  OLDEST_LINUX_RELEASE,
} from './release.js';
import { tblPath, writeTbl } from './tbl.js';
import { initFreebsdTree } from '../kernel/freebsd/machine.js';

export interface InitOptions {
  os?: MachineOs;
  arch?: MachineArch;
  release?: string;
  localversion?: string;
  hostname?: string;
}

export function initMachine(host: Host, dir: string, opts: InitOptions): MachineConfig {
  const os = opts.os ?? 'linux';
  const arch = opts.arch ?? 'x86_64';
  if (os === 'freebsd' && arch !== 'x86_64') throw new MachineError(`FreeBSD machines are amd64 only (got --arch ${arch})`);
  const release = opts.release ?? (os === 'freebsd' ? DEFAULT_FREEBSD_RELEASE : arch === 'i386' ? DEFAULT_LINUX_I386_RELEASE : DEFAULT_LINUX_RELEASE);
  if (!isValidRelease(release)) throw new MachineError(`invalid release '${release}' (expected a version such as 4.7.1 or 6.12)`);
  if (os === 'linux' && compareReleases(release, OLDEST_LINUX_RELEASE) < 0) {
    throw new MachineError(`release ${release} is older than ${OLDEST_LINUX_RELEASE}, the oldest ksim can make`);
  }
  if (host.fs.exists(`${dir}/${CONFIG_FILE}`)) throw new MachineError(`${dir} already holds a machine (${CONFIG_FILE} exists)`);
  const config: MachineConfig = {
    ksim: 1,
    os,
    arch,
    release,
    localversion: opts.localversion ?? '',
    hostname: opts.hostname ?? 'ksim',
  };
  host.fs.mkdir(dir, true);
  if (os === 'freebsd') {
    initFreebsdTree(host, dir, release);
    writeConfig(host, dir, config);
    return config;
  }
  const tbl = tblPath(arch);
  host.fs.mkdir(`${dir}/${tbl.slice(0, tbl.lastIndexOf('/'))}`, true);
  host.fs.writeFile(`${dir}/${tbl}`, writeTbl(arch, release));
  host.fs.mkdir(`${dir}/kernel`, true);
  writeConfig(host, dir, config);
  return config;
}

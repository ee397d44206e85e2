// ksim as a library: `import { createMachine, defineSyscall } from 'ksim'`. Make a machine in memory
// (or open a machine directory), add syscalls in kernel C or TypeScript, build, compile and run
// programs from C strings, and trace the runs with strace, ktrace and D scripts. Every run returns
// a value; build and compile errors are values. See docs/api.md. This is the Node-facing entry point.
export {
  KsimMachine,
  createMachine,
  openMachine,
  initMachineDirectory,
  createMemoryHost,
  probeScriptPath,
  probeScriptText,
  probeScripts,
  decodeKtrace,
  type MachineOptions,
  type OpenMachineOptions,
  type BuildResult,
  type CompileResult,
  type Program,
  type ProgramInput,
  type RunOptions,
  type RunResult,
  type RunError,
  type SyscallCall,
  type StraceRequest,
  type KtraceRequest,
  type DtraceRequest,
  type DtraceOutput,
  type KtraceEntry,
  type KsimDiagnostic,
} from './machine.js';
export { defineSyscall, type TsSyscall, type TsSyscallDefinition, type SyscallParam } from './syscall.js';
export type { SyscallContext } from '../kernel/context.js';
export type { Int64 } from '../kernel/events.js';
export type { LogRecord } from '../kernel/log.js';
export { LOG_LEVEL_NAMES } from '../kernel/log.js';
export { E, Errno } from '../kernel/errno.js';
export { argInt, argUint, argLong, argSize, argPtr } from '../kernel/handler.js';
export { signalName, signalNumber } from '../kernel/signals.js';

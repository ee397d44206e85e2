// D's built-in names: variables (arg0, execname, timestamp...), subroutines (strlen, copyinstr...),
// actions (trace, printf, exit...) and aggregating functions (count, quantize...), with the types
// and argument counts sema.ts checks against. Adding a subroutine: a row here, its body in runtime.ts.
import { T, type DType, voidPtr } from './types.js';

export const builtinVariables: Record<string, DType> = {
  arg0: T.int64, arg1: T.int64, arg2: T.int64, arg3: T.int64, arg4: T.int64,
  arg5: T.int64, arg6: T.int64, arg7: T.int64, arg8: T.int64, arg9: T.int64,
  caller: T.uintptr, ucaller: T.uint64, cpu: T.processorid, epid: { kind: 'int', name: 'uint_t', size: 4, signed: false },
  errno: T.int, execname: T.string, gid: T.gid, id: { kind: 'int', name: 'uint_t', size: 4, signed: false },
  pid: T.pid, ppid: T.pid, tid: T.id, uid: T.uid, probeprov: T.string, probemod: T.string, probefunc: T.string,
  probename: T.string, stackdepth: T.uint32, ustackdepth: T.uint32, timestamp: T.uint64, vtimestamp: T.uint64,
  walltimestamp: T.int64, cwd: T.string, root: T.string, zonename: T.string, ipl: { kind: 'int', name: 'uint_t', size: 4, signed: false },
  curthread: { kind: 'ptr', to: { kind: 'struct', name: 'thread', union: false, members: [], size: 0, align: 1, complete: false }, name: 'kthread_t *' },
  uregs: T.uint64,
  curpsinfo: voidPtr, // replaced by sema with the psinfo_t translator struct
};

/** How a call is checked: fixed or ranged argument counts and a result type. */
export interface CallSig {
  kind: 'sub' | 'action' | 'agg';
  min: number;
  max: number;
  ret: DType;
  /** Needs -w. */
  destructive?: boolean;
  /** Argument kinds for D_PROTO_ARG checks: 's' string, 'i' integer, 'p' pointer/integer, 'a' aggregation, '*' any. */
  argKinds?: string;
  /** Prototype text dtrace prints for D_PROTO_ARG. */
  protos?: string[];
}

const sub = (min: number, max: number, ret: DType, argKinds = '', protos: string[] = []): CallSig => ({ kind: 'sub', min, max, ret, argKinds, protos });
const act = (min: number, max: number, argKinds = '', destructive = false): CallSig => ({ kind: 'action', min, max, ret: T.void, argKinds, destructive });
const agg = (min: number, max: number): CallSig => ({ kind: 'agg', min, max, ret: T.void, argKinds: 'iiiiii' });

export const callSignatures: Record<string, CallSig> = {
  // subroutines
  strlen: sub(1, 1, T.size, 's', ['string']),
  strjoin: sub(2, 2, T.string, 'ss', ['string', 'string']),
  substr: sub(2, 3, T.string, 'sii', ['string', 'int', 'int']),
  index: sub(2, 3, T.int, 'ssi', ['string', 'string', 'int']),
  rindex: sub(2, 3, T.int, 'ssi', ['string', 'string', 'int']),
  strchr: sub(2, 2, T.string, 'si', ['string', 'char']),
  strrchr: sub(2, 2, T.string, 'si', ['string', 'char']),
  strstr: sub(2, 2, T.string, 'ss', ['string', 'string']),
  strtok: sub(2, 2, T.string, 'ss', ['string', 'string']),
  basename: sub(1, 1, T.string, 's', ['string']),
  dirname: sub(1, 1, T.string, 's', ['string']),
  cleanpath: sub(1, 1, T.string, 's', ['string']),
  lltostr: sub(1, 2, T.string, 'ii', ['int64_t', 'int']),
  strtoll: sub(1, 2, T.int64, 'si', ['string', 'int']),
  tolower: sub(1, 1, T.string, 's', ['string']),
  toupper: sub(1, 1, T.string, 's', ['string']),
  copyin: sub(2, 2, voidPtr, 'pi', ['uintptr_t', 'size_t']),
  copyinstr: sub(1, 2, T.string, 'pi', ['uintptr_t', 'size_t']),
  copyinto: { kind: 'sub', min: 3, max: 3, ret: T.void, argKinds: 'pip', protos: ['uintptr_t', 'size_t', 'void *'] },
  alloca: sub(1, 1, voidPtr, 'i', ['size_t']),
  bcopy: { kind: 'sub', min: 3, max: 3, ret: T.void, argKinds: 'ppi', protos: ['void *', 'void *', 'size_t'] },
  rand: sub(0, 0, T.int),
  progenyof: sub(1, 1, T.int, 'i', ['pid_t']),
  htons: sub(1, 1, T.uint16, 'i', ['uint16_t']),
  htonl: sub(1, 1, T.uint32, 'i', ['uint32_t']),
  htonll: sub(1, 1, T.uint64, 'i', ['uint64_t']),
  ntohs: sub(1, 1, T.uint16, 'i', ['uint16_t']),
  ntohl: sub(1, 1, T.uint32, 'i', ['uint32_t']),
  ntohll: sub(1, 1, T.uint64, 'i', ['uint64_t']),
  inet_ntoa: sub(1, 1, T.string, 'p', ['ipaddr_t *']),
  inet_ntop: sub(2, 2, T.string, 'ip', ['int', 'void *']),
  speculation: sub(0, 0, T.int),
  getmajor: sub(1, 1, T.uint32, 'i', ['dev_t']),
  getminor: sub(1, 1, T.uint32, 'i', ['dev_t']),
  mutex_owned: sub(1, 1, T.int, 'p', ['kmutex_t *']),
  // symbol-printing actions (recorded and printed specially)
  sym: act(1, 1, 'i'), func: act(1, 1, 'i'), mod: act(1, 1, 'i'),
  usym: act(1, 1, 'i'), ufunc: act(1, 1, 'i'), umod: act(1, 1, 'i'), uaddr: act(1, 1, 'i'),
  // actions
  trace: act(1, 1, '*'),
  tracemem: act(2, 3, 'pii'),
  printf: act(1, 1000, 's'),
  printa: act(1, 1000, '*'),
  print: act(1, 1, '*'),
  stack: act(0, 1, 'i'),
  ustack: act(0, 2, 'ii'),
  jstack: act(0, 2, 'ii'),
  exit: act(1, 1, 'i'),
  setopt: act(1, 2, 'ss'),
  freopen: act(1, 1000, 's'),
  ftruncate: act(0, 0),
  speculate: act(1, 1, 'i'),
  commit: act(1, 1, 'i'),
  discard: act(1, 1, 'i'),
  clear: act(1, 1, 'a'),
  trunc: act(1, 2, 'ai'),
  normalize: act(2, 2, 'ai'),
  denormalize: act(1, 1, 'a'),
  // destructive actions
  raise: act(1, 1, 'i', true),
  stop: act(0, 0, '', true),
  system: act(1, 1000, 's', true),
  copyout: act(3, 3, 'ppi', true),
  copyoutstr: act(3, 3, 'spi', true),
  chill: act(1, 1, 'i', true),
  panic: act(0, 0, '', true),
  breakpoint: act(0, 0, '', true),
  // aggregating functions
  count: agg(0, 0),
  sum: agg(1, 1),
  avg: agg(1, 1),
  min: agg(1, 1),
  max: agg(1, 1),
  stddev: agg(1, 1),
  quantize: agg(1, 2),
  lquantize: agg(3, 5),
  llquantize: agg(5, 6),
};

/** Actions that record data (speculate() may not follow them; exit() counts too). */
export const dataRecordingActions = new Set([
  'trace', 'tracemem', 'printf', 'printa', 'print', 'stack', 'ustack', 'jstack', 'sym', 'func', 'mod', 'usym', 'ufunc', 'umod', 'uaddr', 'exit',
]);

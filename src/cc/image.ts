// Executable images: the text form written by `ksim cc` (a `#!/usr/bin/env -S ksim run` line and
// the JSON of link.ts) and the loader that instantiates the generated code with `new Function`
// (cached by content) into CFunctions with their addresses, plus the segments to map.
import type { CFunction, StepFn } from '../runtime/cpu.js';
import { imageHelpers } from '../runtime/helpers.js';
import type { ImageJson } from './link.js';

export const SHEBANG = '#!/usr/bin/env -S ksim run';

/** A segment to map: bytes at addr (size may exceed bytes: the rest is zero). */
export interface ImageSegment {
  addr: number;
  size: number;
  bytes: Uint8Array;
  /** PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4 */
  prot: number;
  name: string;
}

export interface LoadedImage {
  name: string;
  json: ImageJson;
  functions: CFunction[];
  byAddr: Map<number, CFunction>;
  /** The entry function (`_start`), if the image has one. */
  entry: CFunction;
  segments: ImageSegment[];
  symbols: Map<string, number>;
  /** First address after bss, page-aligned: where brk starts. */
  brkStart: number;
  /** The architecture the image was built for (execve lays out an i386 stack for i386 images). */
  arch: ImageJson['arch'];
  lookup(addr: number): CFunction | undefined;
  byName(name: string): CFunction | undefined;
  paramTypes(name: string): string[] | undefined;
}

/** Host functions for intrinsics (H.name(P, ...)). */
export type HostFunctions = Record<string, (...args: never[]) => unknown>;

/** The image file text. */
export function serializeImage(img: ImageJson): string {
  return `${SHEBANG}\n${JSON.stringify(img)}\n`;
}

export class ImageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFormatError';
  }
}

/** Parses image text (with or without the #! line). */
export function parseImage(text: string): ImageJson {
  let body = text;
  if (body.startsWith('#!')) body = body.slice(body.indexOf('\n') + 1);
  let j: ImageJson;
  try {
    j = JSON.parse(body) as ImageJson;
  } catch {
    throw new ImageFormatError('not a ksim executable (bad JSON)');
  }
  if (j.format !== 'ksim-exe' || j.version !== 1) throw new ImageFormatError('not a ksim executable (format)');
  return j;
}

type Factory = (I: unknown, H: unknown) => StepFn[];
const factoryCache = new Map<string, Factory>();

function decode64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const PAGE = 4096;

/** Instantiates an image's code and describes its segments. */
export function loadImage(input: string | ImageJson, host: HostFunctions = {}, name = 'a.out'): LoadedImage {
  const j = typeof input === 'string' ? parseImage(input) : input;
  let factory = factoryCache.get(j.code);
  if (!factory) {
    factory = new Function('I', 'H', j.code) as Factory;
    factoryCache.set(j.code, factory);
  }
  const I = imageHelpers();
  const steps = factory(I, host);
  const functions: CFunction[] = j.text.functions.map((f, i) => ({
    name: f.name, addr: f.addr, step: steps[i]!, nparams: f.nparams, nlocals: f.nlocals, frameSize: f.frameSize,
    variadic: f.variadic, file: f.file, line: f.line, module: f.module, blockLines: f.blockLines,
    ...(I.df[i] ? { direct: I.df[i] } : {}),
  }));
  I.fn.push(...functions);
  const byAddr = new Map<number, CFunction>();
  const byName = new Map<string, CFunction>();
  const params = new Map<string, string[]>();
  j.text.functions.forEach((f, i) => {
    byAddr.set(f.addr, functions[i]!);
    if (!byName.has(f.name) || j.symbols[f.name] === f.addr) byName.set(f.name, functions[i]!);
    params.set(f.name, f.paramTypes);
  });
  const segments: ImageSegment[] = [
    { addr: j.text.base, size: j.text.size, bytes: new Uint8Array(0), prot: 5, name: '.text' },
    ...j.data.map((d) => ({ addr: d.addr, size: d.size, bytes: decode64(d.bytes), prot: d.prot, name: d.name })),
  ];
  if (j.bss.size > 0) segments.push({ addr: j.bss.addr, size: j.bss.size, bytes: new Uint8Array(0), prot: 3, name: '.bss' });
  const end = Math.max(...segments.map((s) => s.addr + s.size));
  const entry = j.entry !== null ? byAddr.get(j.entry) : undefined;
  return {
    name, json: j, functions, byAddr,
    entry: entry as CFunction,
    segments,
    symbols: new Map(Object.entries(j.symbols)),
    brkStart: Math.ceil(end / PAGE) * PAGE,
    arch: j.arch,
    lookup: (a) => byAddr.get(a),
    byName: (n) => byName.get(n),
    paramTypes: (n) => params.get(n),
  };
}

// The registry of intrinsics: C functions implemented by the host. A call to one compiles to a
// direct synchronous JS call `H.name(P, args...)` (plus the variadic slot address for variadic
// ones) instead of a CALL step. The compiler knows each intrinsic's prototype (written as C type
// text) and the mode it exists in: user code gets libc fast paths, kernel C gets the kernel API.
// The kernel registers its functions with registerIntrinsic() before compiling kernel C, and
// passes an object with the same names as `H` when loading the image.

export type IntrinsicMode = 'user' | 'kernel';

export interface IntrinsicDef {
  name: string;
  /** Return type as C text, e.g. 'int', 'long', 'void *', 'unsigned long'. */
  ret: string;
  /** Parameter types as C text: 'const char *', 'size_t', 'int', 'void *', 'struct thread *'. */
  params: string[];
  variadic?: boolean;
  modes: IntrinsicMode[];
  /**
   * The JS property of H to call; defaults to name. Lets C names that are not JS identifiers or that
   * clash (e.g. FreeBSD's kernel printf vs. user printf) map to distinct host functions.
   */
  host?: string;
}

const registry = new Map<string, IntrinsicDef>();

/** Adds (or replaces) an intrinsic. */
export function registerIntrinsic(def: IntrinsicDef): void {
  registry.set(def.name, def);
}

/** The intrinsic a C name denotes in a mode, if any. */
export function lookupIntrinsic(name: string, mode: IntrinsicMode): IntrinsicDef | undefined {
  const d = registry.get(name);
  return d && d.modes.includes(mode) ? d : undefined;
}

export function listIntrinsics(mode?: IntrinsicMode): IntrinsicDef[] {
  return [...registry.values()].filter((d) => !mode || d.modes.includes(mode));
}

// libc fast paths for user code. The host implementations (src/runtime/user-intrinsics.ts) work
// on P.mem like the C they replace.
registerIntrinsic({ name: '__ksim_memcpy', ret: 'void *', params: ['void *', 'const void *', 'size_t'], modes: ['user', 'kernel'] });
registerIntrinsic({ name: '__ksim_memmove', ret: 'void *', params: ['void *', 'const void *', 'size_t'], modes: ['user', 'kernel'] });
registerIntrinsic({ name: '__ksim_memset', ret: 'void *', params: ['void *', 'int', 'size_t'], modes: ['user', 'kernel'] });
registerIntrinsic({ name: '__ksim_strlen', ret: 'size_t', params: ['const char *'], modes: ['user', 'kernel'] });
registerIntrinsic({ name: '__ksim_memcmp', ret: 'int', params: ['const void *', 'const void *', 'size_t'], modes: ['user', 'kernel'] });
registerIntrinsic({ name: '__ksim_strcmp', ret: 'int', params: ['const char *', 'const char *'], modes: ['user', 'kernel'] });

// The C compiler driver: translation unit -> sema -> codegen -> object, and objects -> image.
// The same compiler serves user programs and kernel C (mode 'kernel': kernel API intrinsics,
// kernel text addresses). Source text goes through a front end (preprocessor + parser) given in
// the options, so this file stays independent of how C text is parsed.
import type { TranslationUnit } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { generateFunctions } from './codegen.js';
import { link, type CObject, type ImageJson, type LinkOptions, type ObjData, type ObjFunction } from './link.js';
import { serializeImage } from './image.js';
import { analyze } from './sema.js';
import { typeToString, Types, type Target } from './types.js';

export interface CompileOptions {
  target: Target;
  mode: 'user' | 'kernel';
  /** Parses C source text into a unit (the preprocessor and parser of src/cc/frontend.ts). */
  parse?: (file: string, text: string) => { unit?: TranslationUnit; diagnostics: Diagnostic[] };
}

export type CompileInput = TranslationUnit | { file: string; text: string };

const hasErrors = (ds: Diagnostic[]) => ds.some((d) => d.severity === 'error' || d.severity === 'fatal error');

/** Compiles one translation unit to an object. */
export function compileUnit(unit: TranslationUnit, opts: CompileOptions): { object?: CObject; diagnostics: Diagnostic[] } {
  const sema = analyze(unit, { target: opts.target, mode: opts.mode });
  const diagnostics = [...sema.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };
  const T = new Types(opts.target);
  let gens;
  try {
    gens = generateFunctions(T, sema.functions, diagnostics);
  } catch (e) {
    diagnostics.push({ severity: 'error', message: `internal compiler error: ${(e as Error).message}`, loc: sema.functions[0]?.loc });
    return { diagnostics };
  }
  if (hasErrors(diagnostics)) return { diagnostics };
  const functions: ObjFunction[] = gens.map((g, i) => {
    const f = sema.functions[i]!;
    return { ...g, paramTypes: f.info.type.params.map((p) => typeToString(p)), returnType: typeToString(f.info.type.ret) };
  });
  const data: ObjData[] = sema.globals.map((g) => ({
    sym: g.sym, isStatic: g.isStatic, common: g.common, readonly: g.readonly, size: g.size, align: g.align, bytes: g.bytes, relocs: g.relocs,
  }));
  return {
    object: { format: 'ksim-obj', version: 1, file: unit.file, target: opts.target, mode: opts.mode, functions, data },
    diagnostics,
  };
}

/** Compiles units or sources; one object per input. */
export function compileC(inputs: CompileInput | CompileInput[], opts: CompileOptions): { objects?: CObject[]; object?: CObject; diagnostics: Diagnostic[] } {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const diagnostics: Diagnostic[] = [];
  const objects: CObject[] = [];
  for (const input of list) {
    let unit: TranslationUnit | undefined;
    if ('decls' in input) unit = input;
    else {
      if (!opts.parse) {
        diagnostics.push({ severity: 'fatal error', message: `${input.file}: no C front end configured` });
        continue;
      }
      const r = opts.parse(input.file, input.text);
      diagnostics.push(...r.diagnostics);
      unit = r.unit;
      if (!unit || hasErrors(r.diagnostics)) continue;
    }
    const r = compileUnit(unit, opts);
    diagnostics.push(...r.diagnostics);
    if (r.object) objects.push(r.object);
  }
  if (hasErrors(diagnostics)) return { diagnostics };
  return { objects, object: objects[0], diagnostics };
}

/** Links objects into an image (JSON and its file text). */
export function linkProgram(objects: CObject[], opts: LinkOptions = {}): { image?: ImageJson; text?: string; diagnostics: Diagnostic[] } {
  const r = link(objects, opts);
  if (!r.image) return { diagnostics: r.diagnostics };
  return { image: r.image, text: serializeImage(r.image), diagnostics: r.diagnostics };
}

// The D abstract syntax tree: what parser.ts builds and sema.ts / codegen.ts walk. Plain data; every
// node carries the source line (dtrace reports errors by line only). sema.ts fills `type` in place.
import type { DType } from './types.js';

export interface Node {
  line: number;
  /** Set by sema.ts. */
  type?: DType;
}

/** A type name as written: specifiers, then pointer stars and array dimensions. */
export interface TypeName {
  /** Words such as ['unsigned', 'long', 'long'], ['string'], ['struct', 'foo'], ['foo_t']. */
  spec: string[];
  /** An inline struct/union/enum body (`struct foo { ... }`). */
  body?: StructBody | EnumBody;
  ptr: number;
  /** Array dimensions; an associative array declaration has key types instead. */
  dims?: Expr[];
  assocKeys?: TypeName[];
}

export interface StructBody { kind: 'struct'; members: { type: TypeName; name: string; line: number }[] }
export interface EnumBody { kind: 'enum'; values: { name: string; value?: Expr; line: number }[] }

export type Expr =
  | (Node & { k: 'int'; value: bigint; unsigned: boolean; long: boolean; text: string })
  | (Node & { k: 'float'; text: string })
  | (Node & { k: 'str'; value: string })
  | (Node & { k: 'ident'; name: string; scope?: 'global' | 'kernel' })
  | (Node & { k: 'macro'; index: number; str: boolean })
  | (Node & { k: 'macrovar'; name: string })
  | (Node & { k: 'self'; name: string })
  | (Node & { k: 'this'; name: string })
  | (Node & { k: 'agg'; name: string })
  | (Node & { k: 'index'; base: Expr; args: Expr[] })
  | (Node & { k: 'call'; fn: string; args: Expr[] })
  | (Node & { k: 'member'; base: Expr; name: string; arrow: boolean })
  | (Node & { k: 'unary'; op: '-' | '+' | '!' | '~' | '*' | '&' | '++' | '--'; expr: Expr })
  | (Node & { k: 'postfix'; op: '++' | '--'; expr: Expr })
  | (Node & { k: 'binary'; op: string; l: Expr; r: Expr })
  | (Node & { k: 'assign'; op: string; l: Expr; r: Expr })
  | (Node & { k: 'cond'; c: Expr; t: Expr; f: Expr })
  | (Node & { k: 'cast'; to: TypeName; expr: Expr })
  | (Node & { k: 'sizeof'; to?: TypeName; expr?: Expr })
  | (Node & { k: 'offsetof'; to: TypeName; member: string })
  | (Node & { k: 'stringof'; expr: Expr })
  | (Node & { k: 'comma'; l: Expr; r: Expr });

export type Stmt =
  | (Node & { k: 'expr'; expr: Expr })
  | (Node & { k: 'if'; cond: Expr; then: Stmt[]; else?: Stmt[] })
  | (Node & { k: 'block'; body: Stmt[] })
  | (Node & { k: 'empty' });

export interface ProbeDescText {
  text: string;
  line: number;
}

export interface Clause extends Node {
  k: 'clause';
  descs: ProbeDescText[];
  pred?: Expr;
  /** Statements; an empty list is the default action. */
  body: Stmt[];
  /** A description with neither predicate nor body (allowed with -n). */
  bare?: boolean;
  /** Index among the program's clauses. */
  index: number;
}

export interface Declaration extends Node {
  k: 'decl';
  /** Storage: global (none), `self` (thread-local), `this` (clause-local), extern/static ignored. */
  storage: 'global' | 'self' | 'this';
  typeName: TypeName;
  /** Declarators: a name with its own stars, dims or associative key types. */
  declarators: { name: string; ptr: number; dims?: Expr[]; assocKeys?: TypeName[]; line: number }[];
}

export interface InlineDecl extends Node {
  k: 'inline';
  typeName: TypeName;
  ptr: number;
  name: string;
  value: Expr;
}

export interface TypedefDecl extends Node {
  k: 'typedef';
  typeName: TypeName;
  declarators: { name: string; ptr: number; dims?: Expr[]; line: number }[];
}

/** `struct foo { ... };` or `enum e { ... };` alone. */
export interface TypeDecl extends Node {
  k: 'typedecl';
  typeName: TypeName;
}

export interface Pragma extends Node {
  k: 'pragma';
  words: string[];
}

export type TopLevel = Clause | Declaration | InlineDecl | TypedefDecl | TypeDecl | Pragma;

export interface Program {
  items: TopLevel[];
  clauses: Clause[];
}

// The C abstract syntax tree: the contract between the parser (parse.ts) and the semantic
// checker and code generator (sema.ts, lower.ts, codegen.ts). The parser builds it from the CST;
// nothing here knows about chevrotain. Types are not resolved here: declarations carry their
// written type syntax (TypeName), and sema.ts turns that into CType.

/** A place in a source file, 1-based line and column, after preprocessing (#line-mapped). */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

// ---------------------------------------------------------------------------------------------
// Written types

export type StorageClass = 'typedef' | 'extern' | 'static' | 'auto' | 'register';

export interface DeclSpecs {
  storage?: StorageClass;
  inline: boolean;
  noreturn: boolean;
  const: boolean;
  volatile: boolean;
  restrict: boolean;
  /** The base type: keywords (`unsigned long int`), a typedef name, or a struct/union/enum. */
  base: BaseTypeSyntax;
  attributes: Attribute[];
  loc: Loc;
}

export type BaseTypeSyntax =
  | { kind: 'keywords'; words: string[] } // e.g. ['unsigned','long'], ['void'], ['_Bool'], ['double']
  | { kind: 'typedefName'; name: string }
  | { kind: 'struct'; union: boolean; tag?: string; members?: MemberDecl[]; attributes: Attribute[]; loc: Loc }
  | { kind: 'enum'; tag?: string; enumerators?: Enumerator[]; loc: Loc }
  | { kind: 'typeof'; expr?: Expr; type?: TypeName; loc: Loc }
  | { kind: 'builtin_va_list' };

export interface Attribute {
  name: string; // `packed`, `aligned`, `noreturn`, `format`, `unused`, `section`...
  args: Expr[];
}

export interface MemberDecl {
  specs: DeclSpecs;
  /** Each declarator, with an optional bit-field width. An anonymous struct/union member has none. */
  declarators: { declarator: Declarator; bitWidth?: Expr }[];
  loc: Loc;
}

export interface Enumerator {
  name: string;
  value?: Expr;
  loc: Loc;
}

/**
 * A declarator, outermost derivation first as C reads it: `int *a[3]` is
 * { name: 'a', derived: [{array 3}, {pointer}] } — a is an array of 3 pointers to int.
 * `int (*fp)(int)` is { name: 'fp', derived: [{pointer}, {function}] }.
 */
export interface Declarator {
  name?: string;
  derived: Derivation[];
  attributes: Attribute[];
  loc: Loc;
}

export type Derivation =
  | { kind: 'pointer'; const: boolean; volatile: boolean; restrict: boolean }
  | { kind: 'array'; size?: Expr; static: boolean }
  | { kind: 'function'; params: ParamDecl[]; variadic: boolean; /** `f()` in old style: unspecified */ oldStyle: boolean };

export interface ParamDecl {
  specs: DeclSpecs;
  declarator: Declarator; // name may be absent
  loc: Loc;
}

/** A type written in a cast, sizeof, compound literal, va_arg or offsetof. */
export interface TypeName {
  specs: DeclSpecs;
  declarator: Declarator; // abstract: no name
  loc: Loc;
}

// ---------------------------------------------------------------------------------------------
// Declarations

export interface InitDeclarator {
  declarator: Declarator;
  init?: Initializer;
  /** `asm("name")` label, if any. */
  asmLabel?: string;
}

export interface Declaration {
  kind: 'declaration';
  specs: DeclSpecs;
  declarators: InitDeclarator[];
  loc: Loc;
}

export interface StaticAssert {
  kind: 'static_assert';
  cond: Expr;
  message?: string;
  loc: Loc;
}

export interface FunctionDef {
  kind: 'function';
  specs: DeclSpecs;
  declarator: Declarator; // derived[0] is the function derivation
  /** Old-style (K&R) parameter declarations, rarely used. */
  krDecls: Declaration[];
  body: CompoundStmt;
  loc: Loc;
}

export type ExternalDecl = Declaration | FunctionDef | StaticAssert;

export interface TranslationUnit {
  file: string;
  decls: ExternalDecl[];
}

export type Initializer =
  | { kind: 'expr'; expr: Expr; loc: Loc }
  | { kind: 'list'; items: InitItem[]; loc: Loc };

export interface InitItem {
  designators: Designator[];
  init: Initializer;
}

export type Designator =
  | { kind: 'field'; name: string; loc: Loc }
  | { kind: 'index'; index: Expr; /** GNU range `[a ... b]` */ last?: Expr; loc: Loc };

// ---------------------------------------------------------------------------------------------
// Statements

export interface CompoundStmt {
  kind: 'compound';
  items: (Stmt | Declaration | StaticAssert)[];
  loc: Loc;
}

export type Stmt =
  | CompoundStmt
  | { kind: 'expr'; expr?: Expr; loc: Loc } // expr absent: the empty statement `;`
  | { kind: 'if'; cond: Expr; then: Stmt; else?: Stmt; loc: Loc }
  | { kind: 'while'; cond: Expr; body: Stmt; loc: Loc }
  | { kind: 'do'; body: Stmt; cond: Expr; loc: Loc }
  | { kind: 'for'; init?: Expr | Declaration; cond?: Expr; step?: Expr; body: Stmt; loc: Loc }
  | { kind: 'switch'; cond: Expr; body: Stmt; loc: Loc }
  | { kind: 'case'; value: Expr; /** GNU `case a ... b:` */ last?: Expr; body: Stmt; loc: Loc }
  | { kind: 'default'; body: Stmt; loc: Loc }
  | { kind: 'label'; name: string; body: Stmt; loc: Loc }
  | { kind: 'goto'; label: string; loc: Loc }
  | { kind: 'break'; loc: Loc }
  | { kind: 'continue'; loc: Loc }
  | { kind: 'return'; value?: Expr; loc: Loc }
  | { kind: 'asm'; text: string; loc: Loc };

// ---------------------------------------------------------------------------------------------
// Expressions

export type BinaryOp =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '>' | '<=' | '>=' | '==' | '!='
  | '&' | '^' | '|' | '&&' | '||';

export type AssignOp = '=' | '*=' | '/=' | '%=' | '+=' | '-=' | '<<=' | '>>=' | '&=' | '^=' | '|=';

export type UnaryOp = '-' | '+' | '!' | '~' | '*' | '&';

export type Expr =
  | { kind: 'int'; value: bigint; /** suffix letters as written: '', 'u', 'l', 'ul', 'll', 'ull' */ suffix: string; /** written in octal/hex (affects the type rules) */ radix: number; text: string; loc: Loc }
  | { kind: 'float'; value: number; /** 'f', 'l' or '' */ suffix: string; text: string; loc: Loc }
  | { kind: 'char'; value: number; /** '' plain, 'L', 'u', 'U' */ prefix: string; loc: Loc }
  | { kind: 'string'; /** the bytes after escape processing and concatenation, without the NUL */ value: Uint8Array; prefix: string; loc: Loc }
  | { kind: 'ident'; name: string; loc: Loc }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; loc: Loc }
  | { kind: 'assign'; op: AssignOp; target: Expr; value: Expr; loc: Loc }
  | { kind: 'unary'; op: UnaryOp; operand: Expr; loc: Loc }
  | { kind: 'preinc' | 'predec' | 'postinc' | 'postdec'; operand: Expr; loc: Loc }
  | { kind: 'cond'; cond: Expr; then: Expr; else: Expr; loc: Loc }
  | { kind: 'comma'; left: Expr; right: Expr; loc: Loc }
  | { kind: 'call'; callee: Expr; args: Expr[]; loc: Loc }
  | { kind: 'index'; base: Expr; index: Expr; loc: Loc }
  | { kind: 'member'; base: Expr; name: string; arrow: boolean; loc: Loc }
  | { kind: 'cast'; type: TypeName; operand: Expr; loc: Loc }
  | { kind: 'sizeof_expr'; operand: Expr; loc: Loc }
  | { kind: 'sizeof_type'; type: TypeName; loc: Loc }
  | { kind: 'alignof'; type: TypeName; loc: Loc }
  | { kind: 'compound_literal'; type: TypeName; init: Initializer; loc: Loc }
  | { kind: 'stmt_expr'; body: CompoundStmt; loc: Loc } // GNU ({ ... })
  | { kind: 'va_arg'; ap: Expr; type: TypeName; loc: Loc }
  | { kind: 'offsetof'; type: TypeName; /** member path: a.b[2].c */ path: (string | Expr)[]; loc: Loc }
  | { kind: 'generic'; control: Expr; assocs: { type?: TypeName; expr: Expr }[]; loc: Loc };

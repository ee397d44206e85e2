// The C parser: a chevrotain EmbeddedActionsParser over the tokens of lexer.ts that builds the
// AST of ast.ts directly. One RULE per grammar rule, the rule written in a comment above it.
// It tracks typedef names in scopes while parsing (so `T * x;` is a declaration when T names a
// type), handles declarators of any shape, C11 and the GNU extensions kernel code uses
// (statement expressions, __attribute__, typeof, case ranges, range designators, asm), and
// reports syntax errors the way gcc words and places them. It never throws for any input.
import { EmbeddedActionsParser, EOF, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType, defaultParserErrorProvider } from 'chevrotain';
import type {
  AssignOp, Attribute, BaseTypeSyntax, BinaryOp, CompoundStmt, Declaration, DeclSpecs, Declarator, Derivation, Designator, Enumerator,
  Expr, ExternalDecl, FunctionDef, InitDeclarator, Initializer, InitItem, Loc, MemberDecl, ParamDecl, StaticAssert, Stmt, StorageClass,
  TranslationUnit, TypeName, UnaryOp,
} from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import {
  Alignas, Alignof, AnyWord, Arrow, Asm, AssignOperator, Assign, Attribute as AttributeKw, BasicTypeKw, BinaryOperator, Break, BuiltinOffsetof,
  BuiltinVaArg, BuiltinVaList, Case, CharLiteral, Colon, Comma, Continue, type CToken, Default, Do, Dot, Ellipsis, Else, Enum, Extension, For,
  FunctionSpecKw, Generic, Goto, Identifier, If, LBrace, LBracket, LParen, MinusMinus, NumberLiteral, PlusPlus, QualifierKw, Question, RBrace,
  RBracket, RParen, Return, Semi, Sizeof, Star, Static, StaticAssert as StaticAssertKw, StorageClassKw, StringLiteral, Struct, Switch, Typeof,
  Union, While, allTokens, describeToken, lexC, Amp, Minus, Plus, Tilde, Bang, AndAnd,
} from './lexer.js';
import { charLiteralValue, decodeLiteralBody, encodeStringUnits, parseNumberLiteral, splitLiteral } from './parse-literals.js';

/** Where a declarator may or must have a name. */
type DeclaratorMode = 'named' | 'abstract' | 'either';

/** A syntax error found by an explicit check: stops the parse with gcc's message. */
class ParseFailure extends Error {
  constructor(
    message: string,
    readonly token: IToken | undefined,
    /** Report after the previous token when the offending one starts a new line (a missing ';'). */
    readonly afterPrevious: boolean,
    readonly previous: IToken | undefined,
  ) {
    super(message);
  }
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const CLOSING_TOKENS = new Set([';', ')', ']', '}', ',', ':']);

const tokenTypeByName = new Map<string, TokenType>(allTokens.map((t) => [t.name, t]));
tokenTypeByName.set('EOF', EOF);

/** Labels the mismatch message so we can rebuild gcc's wording from the exception. */
const errorProvider: IParserErrorMessageProvider = {
  ...defaultParserErrorProvider,
  buildMismatchTokenMessage: ({ expected }) => `expected\u0000${expected.name}`,
  buildNoViableAltMessage: (options) =>
    options.customUserDescription ? `custom\u0000${options.customUserDescription}` : defaultParserErrorProvider.buildNoViableAltMessage(options),
};

/** The token's original location (shared, not copied: AST locations are read-only). */
function locOf(t: IToken): Loc {
  return (t as CToken).loc ?? { file: '', line: t.startLine ?? 0, col: t.startColumn ?? 0 };
}

function emptySpecs(loc: Loc): DeclSpecs {
  return { inline: false, noreturn: false, const: false, volatile: false, restrict: false, base: { kind: 'keywords', words: [] }, attributes: [], loc };
}

/** Canonical spelling of a keyword token (`__inline__` is `inline`). */
function keywordName(t: IToken): string {
  return t.tokenType.name.startsWith('kw_') ? t.tokenType.name.slice(3) : t.image;
}

class CParser extends EmbeddedActionsParser {
  /** Typedef-name scopes: name -> true when it names a type in that scope. */
  private scopes: Map<string, boolean>[] = [new Map()];
  diagnostics: Diagnostic[] = [];
  /** Declaration specifiers that named no type (implicit int, or an error). */
  private readonly untyped = new WeakSet<DeclSpecs>();

  /** Grammar validation (ambiguities, left recursion) costs startup time: tests run it. */
  constructor(validate = false) {
    super(allTokens, { maxLookahead: 3, recoveryEnabled: false, errorMessageProvider: errorProvider, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  startInput(tokens: IToken[]): void {
    this.input = tokens;
    this.scopes = [new Map()];
    this.diagnostics = [];
  }

  // -------------------------------------------------------------------------------------------
  // Helpers used from gates and actions

  private isTypedefName(name: string): boolean {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v !== undefined) return v;
    }
    return false;
  }

  private declareName(name: string | undefined, isTypedef: boolean): void {
    if (name) this.scopes[this.scopes.length - 1]!.set(name, isTypedef);
  }

  private pushScope(): void {
    this.scopes.push(new Map());
  }

  private popScope(): void {
    if (this.scopes.length > 1) this.scopes.pop();
  }

  private is(t: IToken, type: TokenType): boolean {
    return t.tokenType === type || (t.tokenType.CATEGORIES?.includes(type) ?? false);
  }

  /** The token can begin a type name (specifier or qualifier). */
  private startsTypeName(t: IToken): boolean {
    const y = t.tokenType;
    if (this.is(t, BasicTypeKw) || this.is(t, QualifierKw)) return true;
    if (y === Struct || y === Union || y === Enum || y === Typeof || y === BuiltinVaList || y === AttributeKw || y === Alignas || y === Extension) return true;
    return y === Identifier && this.isTypedefName(t.image);
  }

  /** The token continues declaration specifiers (given whether a type was already seen). */
  private startsDeclSpec(t: IToken, sawType: boolean): boolean {
    if (t.tokenType === Identifier) return !sawType && this.isTypedefName(t.image);
    return this.startsTypeName(t) || this.is(t, StorageClassKw) || this.is(t, FunctionSpecKw);
  }

  /** A declaration (not a statement) starts at LA(1). */
  private startsDeclaration(): boolean {
    let k = 1;
    while (this.LA(k).tokenType === Extension) k++;
    const t = this.LA(k);
    if (t.tokenType === StaticAssertKw) return true;
    if (t.tokenType === AttributeKw && this.attributeStatementAhead(k)) return false;
    if (t.tokenType === Identifier) return this.isTypedefName(t.image) && this.LA(k + 1).tokenType !== Colon;
    return this.startsDeclSpec(t, false);
  }

  /** In a declarator, '(' opens a nested declarator rather than a parameter list. */
  private isGroupingParen(mode: DeclaratorMode): boolean {
    if (this.LA(1).tokenType !== LParen) return false;
    if (mode === 'named') return true;
    const next = this.LA(2);
    const y = next.tokenType;
    if (y === Star || y === LParen || y === LBracket || y === AttributeKw) return true;
    if (y === Identifier) return mode === 'either' && !this.isTypedefName(next.image);
    return false;
  }

  /** Fails with gcc's "expected X before Y" unless LA(1) is of `type`. */
  private require(type: TokenType, message?: string): void {
    const t = this.LA(1);
    if (this.is(t, type)) return;
    const label = type.LABEL ?? type.name;
    const what = message ?? `expected ${label}`;
    // gcc moves a missing single token to just after the previous one; its messages listing
    // several choices stay at the offending token.
    const closing = message === undefined && CLOSING_TOKENS.has(label.replace(/'/g, ''));
    throw new ParseFailure(this.before(what, t), t, closing, this.LA(0));
  }

  private before(what: string, t: IToken): string {
    return t.tokenType === EOF ? `${what} at end of input` : `${what} before ${describeToken(t)}`;
  }

  private fail(what: string, t: IToken = this.LA(1)): never {
    throw new ParseFailure(this.before(what, t), t, false, this.LA(0));
  }

  private warn(message: string, t: IToken): void {
    this.diagnostics.push({ severity: 'warning', message, loc: locOf(t), length: Math.max(1, t.image.length) });
  }

  private error(message: string, t: IToken): void {
    this.diagnostics.push({ severity: 'error', message, loc: locOf(t), length: Math.max(1, t.image.length) });
  }

  private addSpecifier(specs: DeclSpecs, words: string[], base: BaseTypeSyntax | undefined, t: IToken): void {
    if (base) {
      const current = specs.base;
      if (words.length > 0 || !(current.kind === 'keywords' && current.words.length === 0)) {
        this.error('two or more data types in declaration specifiers', t);
        return;
      }
      specs.base = base;
    }
  }

  private stringBytes(tokens: IToken[]): { value: Uint8Array; prefix: string } {
    let prefix = '';
    const units: { value: number; raw: boolean }[] = [];
    for (const t of tokens) {
      const parts = splitLiteral(t.image);
      if (parts.prefix !== '' && parts.prefix !== 'u8') {
        if (prefix !== '' && prefix !== parts.prefix) this.error('unsupported non-standard concatenation of string literals', t);
        prefix = parts.prefix;
      } else if (parts.prefix === 'u8' && prefix === '') prefix = 'u8';
      const problems: string[] = [];
      units.push(...decodeLiteralBody(parts.body, problems));
      for (const p of problems) this.warn(p, t);
    }
    return { value: Uint8Array.from(encodeStringUnits(units, prefix)), prefix };
  }

  private numberExpr(t: IToken): Expr {
    const r = parseNumberLiteral(t.image);
    const loc = locOf(t);
    if (r.kind === 'error') {
      this.error(r.message, t);
      return { kind: 'int', value: 0n, suffix: '', radix: 10, text: t.image, loc };
    }
    if (r.kind === 'float') return { kind: 'float', value: r.value, suffix: r.suffix, text: t.image, loc };
    return { kind: 'int', value: r.value, suffix: r.suffix, radix: r.radix, text: t.image, loc };
  }

  private foldBinary(operands: Expr[], ops: IToken[]): Expr {
    let pos = 0;
    const climb = (minPrec: number): Expr => {
      let left = operands[pos]!;
      while (pos < ops.length && BINARY_PRECEDENCE[ops[pos]!.image]! >= minPrec) {
        const op = ops[pos]!;
        const prec = BINARY_PRECEDENCE[op.image]!;
        pos++;
        let right = operands[pos]!;
        while (pos < ops.length && BINARY_PRECEDENCE[ops[pos]!.image]! > prec) right = climbFrom(right, prec + 1);
        left = { kind: 'binary', op: op.image as BinaryOp, left, right, loc: locOf(op) };
      }
      return left;
    };
    // Continues a right operand with operators binding tighter than minPrec.
    const climbFrom = (start: Expr, minPrec: number): Expr => {
      let left = start;
      while (pos < ops.length && BINARY_PRECEDENCE[ops[pos]!.image]! >= minPrec) {
        const op = ops[pos]!;
        const prec = BINARY_PRECEDENCE[op.image]!;
        pos++;
        let right = operands[pos]!;
        while (pos < ops.length && BINARY_PRECEDENCE[ops[pos]!.image]! > prec) right = climbFrom(right, prec + 1);
        left = { kind: 'binary', op: op.image as BinaryOp, left, right, loc: locOf(op) };
      }
      return left;
    };
    return climb(0);
  }

  // -------------------------------------------------------------------------------------------
  // External definitions

  // translationUnit: externalDeclaration*
  translationUnit = this.RULE('translationUnit', (): ExternalDecl[] => {
    const decls: ExternalDecl[] = [];
    this.MANY(() => {
      const d = this.SUBRULE(this.externalDeclaration);
      this.ACTION(() => decls.push(...d));
    });
    return decls;
  });

  // externalDeclaration: ';' | staticAssertDeclaration | asmDefinition
  //   | '__extension__'* declarationSpecifiers
  //       ( ';' | declarator (asmLabel | attributeSpecifier)* ( compoundStatement | ('=' initializer)? (',' initDeclarator)* ';' ) )
  externalDeclaration = this.RULE('externalDeclaration', (): ExternalDecl[] => {
    return this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
      { ALT: () => { this.CONSUME(Semi); return []; } },
      { ALT: () => [this.SUBRULE(this.staticAssertDeclaration)] },
      {
        ALT: () => {
          const t = this.CONSUME(Asm);
          this.CONSUME(LParen);
          this.AT_LEAST_ONE(() => this.CONSUME(StringLiteral));
          this.CONSUME(RParen);
          this.CONSUME2(Semi);
          this.ACTION(() => this.warn('top-level asm statement is ignored', t));
          return [];
        },
      },
      {
        ALT: () => {
          this.MANY(() => this.CONSUME(Extension));
          this.ACTION(() => {
            const a = this.LA(1);
            const b = this.LA(2);
            if (a.tokenType === Identifier && !this.isTypedefName(a.image) && (b.tokenType === Identifier || (b.tokenType === Star && this.LA(3).tokenType === Identifier))) {
              throw new ParseFailure(`unknown type name '${a.image}'`, a, false, undefined);
            }
          });
          const specs = this.SUBRULE(this.declarationSpecifiers);
          return this.OR2([
            {
              ALT: () => {
                const semi = this.CONSUME3(Semi);
                return this.ACTION((): ExternalDecl[] => {
                  this.checkEmptyDeclaration(specs, semi);
                  return [{ kind: 'declaration', specs, declarators: [], loc: specs.loc }];
                });
              },
            },
            {
              ALT: () => {
                const declarator = this.SUBRULE(this.declarator, { ARGS: ['named'] });
                const extra = this.SUBRULE(this.declaratorExtras);
                this.ACTION(() => {
                  this.implicitInt(specs, declarator);
                  declarator.attributes.push(...extra.attributes);
                  this.declareName(declarator.name, specs.storage === 'typedef');
                });
                return this.OR3({ ERR_MSG: `expected '=', ',', ';', 'asm' or '__attribute__'`, IGNORE_AMBIGUITIES: true, DEF: [
                  {
                    // A function definition, with old-style (K&R) parameter declarations if its
                    // parameters are an identifier list.
                    GATE: () => this.LA(1).tokenType === LBrace || (this.hasIdentifierList(declarator) && this.startsDeclaration()),
                    ALT: () => {
                      this.ACTION(() => {
                        if (declarator.derived[0]?.kind !== 'function' || extra.asmLabel !== undefined || specs.storage === 'typedef') {
                          this.fail(`expected '=', ',', ';', 'asm' or '__attribute__'`);
                        }
                        this.pushScope();
                        const fn = declarator.derived[0] as Extract<Derivation, { kind: 'function' }>;
                        for (const p of fn.params) this.declareName(p.declarator.name, false);
                      });
                      const krDecls: Declaration[] = [];
                      this.MANY3({
                        GATE: () => this.startsDeclaration(),
                        DEF: () => {
                          const d = this.SUBRULE(this.declaration);
                          this.ACTION(() => {
                            if (d.kind === 'declaration') krDecls.push(d);
                          });
                        },
                      });
                      this.ACTION(() => this.applyOldStyleDeclarations(declarator, krDecls));
                      const body = this.SUBRULE(this.compoundStatement);
                      return this.ACTION((): ExternalDecl[] => {
                        this.popScope();
                        const def: FunctionDef = { kind: 'function', specs, declarator, krDecls, body, loc: declarator.loc };
                        return [def];
                      });
                    },
                  },
                  {
                    ALT: () => {
                      const first: InitDeclarator = this.ACTION(() => ({ declarator, ...(extra.asmLabel !== undefined ? { asmLabel: extra.asmLabel } : {}) }));
                      let hadInit = false;
                      this.OPTION(() => {
                        this.CONSUME(Assign);
                        const init = this.SUBRULE(this.initializer);
                        hadInit = true;
                        this.ACTION(() => (first.init = init));
                      });
                      const list = [first];
                      this.MANY2(() => {
                        this.CONSUME(Comma);
                        const d = this.SUBRULE(this.initDeclarator, { ARGS: [specs] });
                        this.ACTION(() => {
                          list.push(d.decl);
                          hadInit = d.hadInit;
                        });
                      });
                      this.ACTION(() => this.require(Semi, hadInit ? `expected ',' or ';'` : `expected '=', ',', ';', 'asm' or '__attribute__'`));
                      this.CONSUME4(Semi);
                      return this.ACTION((): ExternalDecl[] => [{ kind: 'declaration', specs, declarators: list, loc: specs.loc }]);
                    },
                  },
                ] });
              },
            },
          ]);
        },
      },
    ] });
  });

  /** The declarator is a function whose parameters are an old-style identifier list. */
  private hasIdentifierList(d: Declarator): boolean {
    const f = d.derived[0];
    return f?.kind === 'function' && f.oldStyle && f.params.length > 0;
  }

  /**
   * K&R definitions: `int f(a, b) char *b; {`. Each parameter takes the type its declaration
   * gives (int when none does, as gcc assumes with a warning).
   */
  private applyOldStyleDeclarations(d: Declarator, krDecls: Declaration[]): void {
    const f = d.derived[0];
    if (f?.kind !== 'function') return;
    if (krDecls.length > 0 && !(f.oldStyle && f.params.length > 0)) {
      const first = krDecls[0]!;
      this.diagnostics.push({ severity: 'error', message: 'old-style parameter declarations in prototyped function definition', loc: first.loc, length: 1 });
      return;
    }
    for (const decl of krDecls) {
      for (const item of decl.declarators) {
        const name = item.declarator.name;
        const index = f.params.findIndex((p) => p.declarator.name === name);
        if (index < 0) {
          this.diagnostics.push({ severity: 'error', message: `declaration for parameter '${name}' but no such parameter`, loc: item.declarator.loc, length: name?.length ?? 1 });
          continue;
        }
        f.params[index] = { specs: decl.specs, declarator: item.declarator, loc: item.declarator.loc };
      }
    }
    for (const p of f.params) {
      if (this.untyped.has(p.specs)) {
        this.diagnostics.push({ severity: 'warning', message: `type of '${p.declarator.name}' defaults to 'int'`, loc: p.declarator.loc, length: p.declarator.name?.length ?? 1 });
      }
    }
  }

  /** `int;` and friends: gcc's warning "useless type name in empty declaration". */
  private checkEmptyDeclaration(specs: DeclSpecs, at: IToken): void {
    const b = specs.base;
    if (b.kind === 'struct' || b.kind === 'enum') return;
    if (this.untyped.has(specs) && specs.attributes.length === 0) this.warn('useless type name in empty declaration', at);
    else if (b.kind === 'keywords' || b.kind === 'typedefName') this.warn('useless type name in empty declaration', at);
  }

  /** File-scope declarations without a type default to int, with gcc's warning. */
  private implicitInt(specs: DeclSpecs, d: Declarator): void {
    if (!this.untyped.has(specs)) return;
    specs.base = { kind: 'keywords', words: ['int'] };
    const hasSpecifier = specs.storage !== undefined || specs.const || specs.volatile || specs.restrict || specs.inline;
    const msg =
      d.derived[0]?.kind === 'function'
        ? `return type defaults to 'int'`
        : hasSpecifier
          ? `type defaults to 'int' in declaration of '${d.name ?? ''}'`
          : 'data definition has no type or storage class';
    this.diagnostics.push({ severity: 'warning', message: msg, loc: d.loc, length: d.name?.length ?? 1 });
  }

  // declaratorExtras: (asmLabel | attributeSpecifier)*
  declaratorExtras = this.RULE('declaratorExtras', (): { attributes: Attribute[]; asmLabel?: string } => {
    const r: { attributes: Attribute[]; asmLabel?: string } = { attributes: [] };
    this.MANY(() => {
      this.OR([
        { ALT: () => { const a = this.SUBRULE(this.attributeSpecifier); this.ACTION(() => r.attributes.push(...a)); } },
        { ALT: () => { const s = this.SUBRULE(this.asmLabel); this.ACTION(() => (r.asmLabel = s)); } },
      ]);
    });
    return r;
  });

  // asmLabel: 'asm' '(' StringLiteral+ ')'
  asmLabel = this.RULE('asmLabel', (): string => {
    this.CONSUME(Asm);
    this.CONSUME(LParen);
    const parts: IToken[] = [];
    this.AT_LEAST_ONE(() => parts.push(this.CONSUME(StringLiteral)));
    this.CONSUME(RParen);
    return this.ACTION(() => new TextDecoder().decode(this.stringBytes(parts).value));
  });

  // staticAssertDeclaration: '_Static_assert' '(' constantExpression (',' StringLiteral+)? ')' ';'
  staticAssertDeclaration = this.RULE('staticAssertDeclaration', (): StaticAssert => {
    const kw = this.CONSUME(StaticAssertKw);
    this.CONSUME(LParen);
    const cond = this.SUBRULE(this.conditionalExpression);
    const parts: IToken[] = [];
    this.OPTION(() => {
      this.CONSUME(Comma);
      this.AT_LEAST_ONE(() => parts.push(this.CONSUME(StringLiteral)));
    });
    this.CONSUME(RParen);
    this.ACTION(() => this.require(Semi));
    this.CONSUME(Semi);
    return this.ACTION(() => {
      const sa: StaticAssert = { kind: 'static_assert', cond, loc: locOf(kw) };
      if (parts.length > 0) sa.message = new TextDecoder().decode(this.stringBytes(parts).value);
      return sa;
    });
  });

  // declaration: '__extension__'* declarationSpecifiers (initDeclarator (',' initDeclarator)*)? ';'
  //            | staticAssertDeclaration
  declaration = this.RULE('declaration', (): Declaration | StaticAssert => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.staticAssertDeclaration) },
      {
        ALT: () => {
          this.MANY(() => this.CONSUME(Extension));
          const specs = this.SUBRULE(this.declarationSpecifiers);
          const list: InitDeclarator[] = [];
          let hadInit = false;
          this.OPTION(() => {
            const first = this.SUBRULE(this.initDeclarator, { ARGS: [specs] });
            this.ACTION(() => {
              list.push(first.decl);
              hadInit = first.hadInit;
            });
            this.MANY2(() => {
              this.CONSUME(Comma);
              const d = this.SUBRULE2(this.initDeclarator, { ARGS: [specs] });
              this.ACTION(() => {
                list.push(d.decl);
                hadInit = d.hadInit;
              });
            });
          });
          this.ACTION(() => this.require(Semi, list.length === 0 ? undefined : hadInit ? `expected ',' or ';'` : `expected '=', ',', ';', 'asm' or '__attribute__'`));
          const semi = this.CONSUME(Semi);
          return this.ACTION((): Declaration => {
            if (list.length === 0) this.checkEmptyDeclaration(specs, semi);
            if (this.untyped.has(specs)) {
              specs.base = { kind: 'keywords', words: ['int'] };
              for (const item of list) {
                const d = item.declarator;
                this.diagnostics.push({ severity: 'warning', message: `type defaults to 'int' in declaration of '${d.name ?? ''}'`, loc: d.loc, length: d.name?.length ?? 1 });
              }
            }
            return { kind: 'declaration', specs, declarators: list, loc: specs.loc };
          });
        },
      },
    ]);
  });

  // initDeclarator: declarator (asmLabel | attributeSpecifier)* ('=' initializer)?
  initDeclarator = this.RULE('initDeclarator', (specs: DeclSpecs): { decl: InitDeclarator; hadInit: boolean } => {
    const declarator = this.SUBRULE(this.declarator, { ARGS: ['named'] });
    const extra = this.SUBRULE(this.declaratorExtras);
    const decl: InitDeclarator = this.ACTION(() => {
      declarator.attributes.push(...extra.attributes);
      this.declareName(declarator.name, specs.storage === 'typedef');
      return { declarator, ...(extra.asmLabel !== undefined ? { asmLabel: extra.asmLabel } : {}) };
    });
    let hadInit = false;
    this.OPTION(() => {
      this.CONSUME(Assign);
      const init = this.SUBRULE(this.initializer);
      hadInit = true;
      this.ACTION(() => (decl.init = init));
    });
    return { decl, hadInit };
  });

  // -------------------------------------------------------------------------------------------
  // Declaration specifiers

  // declarationSpecifiers: (storageClassSpecifier | typeSpecifier | typeQualifier | functionSpecifier
  //                         | alignmentSpecifier | attributeSpecifier | '__extension__')*
  // typeSpecifier: basicTypeKeyword | structOrUnionSpecifier | enumSpecifier | typeofSpecifier
  //              | '__builtin_va_list' | typedefName
  declarationSpecifiers = this.RULE('declarationSpecifiers', (): DeclSpecs => {
    const specs = this.ACTION(() => emptySpecs(locOf(this.LA(1))));
    const words: string[] = [];
    let sawType = false;
    this.MANY({
      GATE: () => this.startsDeclSpec(this.LA(1), sawType),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              const t = this.CONSUME(StorageClassKw);
              this.ACTION(() => {
                const name = keywordName(t);
                if (name === '_Thread_local') specs.attributes.push({ name: 'thread_local', args: [] });
                else if (specs.storage) this.error('multiple storage classes in declaration specifiers', t);
                else specs.storage = name as StorageClass;
              });
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(QualifierKw);
              this.ACTION(() => {
                const name = keywordName(t);
                if (name === 'const') specs.const = true;
                else if (name === 'volatile') specs.volatile = true;
                else if (name === 'restrict') specs.restrict = true;
              });
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(FunctionSpecKw);
              this.ACTION(() => {
                if (keywordName(t) === 'inline') specs.inline = true;
                else specs.noreturn = true;
              });
            },
          },
          { ALT: () => { const a = this.SUBRULE(this.attributeSpecifier); this.ACTION(() => specs.attributes.push(...a)); } },
          { ALT: () => { const a = this.SUBRULE(this.alignmentSpecifier); this.ACTION(() => specs.attributes.push(a)); } },
          { ALT: () => { this.CONSUME(Extension); } },
          {
            ALT: () => {
              const t = this.CONSUME(BasicTypeKw);
              sawType = true;
              this.ACTION(() => {
                if (specs.base.kind !== 'keywords' || (specs.base.kind === 'keywords' && specs.base.words.length > 0 && words.length === 0)) {
                  this.error('two or more data types in declaration specifiers', t);
                  return;
                }
                words.push(keywordName(t));
              });
            },
          },
          { ALT: () => { const t = this.LA(1); const b = this.SUBRULE(this.structOrUnionSpecifier); sawType = true; this.ACTION(() => this.addSpecifier(specs, words, b, t)); } },
          { ALT: () => { const t = this.LA(1); const b = this.SUBRULE(this.enumSpecifier); sawType = true; this.ACTION(() => this.addSpecifier(specs, words, b, t)); } },
          { ALT: () => { const t = this.LA(1); const b = this.SUBRULE(this.typeofSpecifier); sawType = true; this.ACTION(() => this.addSpecifier(specs, words, b, t)); } },
          { ALT: () => { const t = this.CONSUME(BuiltinVaList); sawType = true; this.ACTION(() => this.addSpecifier(specs, words, { kind: 'builtin_va_list' }, t)); } },
          { ALT: () => { const t = this.CONSUME(Identifier); sawType = true; this.ACTION(() => this.addSpecifier(specs, words, { kind: 'typedefName', name: t.image }, t)); } },
        ]);
      },
    });
    return this.ACTION(() => {
      if (words.length > 0) {
        if (specs.base.kind === 'keywords') specs.base = { kind: 'keywords', words };
      } else if (specs.base.kind === 'keywords' && specs.base.words.length === 0) this.untyped.add(specs);
      return specs;
    });
  });

  // alignmentSpecifier: '_Alignas' '(' (typeName | constantExpression) ')'
  alignmentSpecifier = this.RULE('alignmentSpecifier', (): Attribute => {
    const kw = this.CONSUME(Alignas);
    this.CONSUME(LParen);
    const arg = this.OR({ DEF: [
      { GATE: () => this.startsTypeName(this.LA(1)), ALT: () => { const t = this.SUBRULE(this.typeName); return this.ACTION((): Expr => ({ kind: 'alignof', type: t, loc: locOf(kw) })); } },
      { ALT: () => this.SUBRULE(this.conditionalExpression) },
    ], IGNORE_AMBIGUITIES: true });
    this.CONSUME(RParen);
    return { name: 'aligned', args: [arg] };
  });

  // structOrUnionSpecifier: ('struct' | 'union') attributeSpecifier* Identifier? ('{' structDeclaration* '}' attributeSpecifier*)?
  structOrUnionSpecifier = this.RULE('structOrUnionSpecifier', (): BaseTypeSyntax => {
    const kw = this.OR([{ ALT: () => this.CONSUME(Struct) }, { ALT: () => this.CONSUME(Union) }]);
    const attributes: Attribute[] = [];
    let tag: string | undefined;
    let members: MemberDecl[] | undefined;
    this.MANY(() => { const a = this.SUBRULE(this.attributeSpecifier); this.ACTION(() => attributes.push(...a)); });
    this.OPTION(() => { tag = this.CONSUME(Identifier).image; });
    this.ACTION(() => {
      if (tag === undefined && this.LA(1).tokenType !== LBrace) this.fail(`expected '{'`);
    });
    this.OPTION2(() => {
      this.CONSUME(LBrace);
      members = [];
      this.MANY2({
        GATE: () => this.LA(1).tokenType !== RBrace && this.LA(1).tokenType !== EOF,
        DEF: () => {
        const m = this.SUBRULE(this.structDeclaration);
        this.ACTION(() => { if (m) members!.push(m); });
        },
      });
      this.CONSUME(RBrace);
      this.MANY3(() => { const a = this.SUBRULE2(this.attributeSpecifier); this.ACTION(() => attributes.push(...a)); });
    });
    return this.ACTION((): BaseTypeSyntax => {
      const b: BaseTypeSyntax = { kind: 'struct', union: kw.tokenType === Union, attributes, loc: locOf(kw) };
      if (tag !== undefined) b.tag = tag;
      if (members) b.members = members;
      return b;
    });
  });

  // structDeclaration: staticAssertDeclaration | ';'
  //   | '__extension__'* declarationSpecifiers (structDeclarator (',' structDeclarator)*)? ';'
  structDeclaration = this.RULE('structDeclaration', (): MemberDecl | undefined => {
    return this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
      { ALT: () => { this.SUBRULE(this.staticAssertDeclaration); return undefined; } },
      { ALT: () => { this.CONSUME(Semi); return undefined; } },
      {
        ALT: () => {
          this.MANY(() => this.CONSUME(Extension));
          this.ACTION(() => {
            const t = this.LA(1);
            if (!this.startsDeclSpec(t, false)) {
              if (t.tokenType === Identifier && (this.LA(2).tokenType === Identifier || this.LA(2).tokenType === Star)) throw new ParseFailure(`unknown type name '${t.image}'`, t, false, undefined);
              this.fail('expected specifier-qualifier-list');
            }
          });
          const specs = this.SUBRULE(this.declarationSpecifiers);
          const declarators: { declarator: Declarator; bitWidth?: Expr }[] = [];
          this.OPTION(() => {
            declarators.push(this.SUBRULE(this.structDeclarator));
            this.MANY2(() => {
              this.CONSUME(Comma);
              declarators.push(this.SUBRULE2(this.structDeclarator));
            });
          });
          this.ACTION(() => {
            if (this.LA(1).tokenType === RBrace) this.warn('no semicolon at end of struct or union', this.LA(1));
            else this.require(Semi, `expected ':', ',', ';', '}' or '__attribute__'`);
          });
          this.OPTION2(() => this.CONSUME2(Semi));
          return this.ACTION((): MemberDecl => ({ specs, declarators, loc: specs.loc }));
        },
      },
    ] });
  });

  // structDeclarator: (declarator (':' constantExpression)? | ':' constantExpression) attributeSpecifier*
  structDeclarator = this.RULE('structDeclarator', (): { declarator: Declarator; bitWidth?: Expr } => {
    const r = this.OR([
      {
        ALT: () => {
          const declarator = this.SUBRULE(this.declarator, { ARGS: ['named'] });
          const r: { declarator: Declarator; bitWidth?: Expr } = { declarator };
          this.OPTION(() => {
            this.CONSUME(Colon);
            const w = this.SUBRULE(this.conditionalExpression);
            this.ACTION(() => (r.bitWidth = w));
          });
          return r;
        },
      },
      {
        ALT: () => {
          const c = this.CONSUME2(Colon);
          const w = this.SUBRULE2(this.conditionalExpression);
          return this.ACTION(() => ({ declarator: { derived: [], attributes: [], loc: locOf(c) }, bitWidth: w }));
        },
      },
    ]);
    this.MANY(() => { const a = this.SUBRULE(this.attributeSpecifier); this.ACTION(() => r.declarator.attributes.push(...a)); });
    return r;
  });

  // enumSpecifier: 'enum' attributeSpecifier* Identifier? ('{' enumerator (',' enumerator)* ','? '}' attributeSpecifier*)?
  enumSpecifier = this.RULE('enumSpecifier', (): BaseTypeSyntax => {
    const kw = this.CONSUME(Enum);
    let tag: string | undefined;
    let enumerators: Enumerator[] | undefined;
    this.MANY(() => this.SUBRULE(this.attributeSpecifier));
    this.OPTION(() => { tag = this.CONSUME(Identifier).image; });
    this.ACTION(() => {
      if (tag === undefined && this.LA(1).tokenType !== LBrace) this.fail(`expected '{'`);
    });
    this.OPTION2(() => {
      this.CONSUME(LBrace);
      enumerators = [];
      this.ACTION(() => { if (this.LA(1).tokenType !== Identifier) this.fail('expected identifier'); });
      enumerators.push(this.SUBRULE(this.enumerator));
      this.MANY2(() => {
        this.CONSUME(Comma);
        enumerators!.push(this.SUBRULE2(this.enumerator));
      });
      this.OPTION3(() => this.CONSUME2(Comma));
      this.ACTION(() => this.require(RBrace, this.LA(1).tokenType === Identifier ? `expected ',' or '}'` : undefined));
      this.CONSUME(RBrace);
      this.MANY3(() => this.SUBRULE2(this.attributeSpecifier));
    });
    return this.ACTION((): BaseTypeSyntax => {
      const b: BaseTypeSyntax = { kind: 'enum', loc: locOf(kw) };
      if (tag !== undefined) b.tag = tag;
      if (enumerators) b.enumerators = enumerators;
      return b;
    });
  });

  // enumerator: Identifier attributeSpecifier* ('=' constantExpression)?
  enumerator = this.RULE('enumerator', (): Enumerator => {
    const name = this.CONSUME(Identifier);
    this.MANY(() => this.SUBRULE(this.attributeSpecifier));
    const e = this.ACTION((): Enumerator => ({ name: name.image, loc: locOf(name) }));
    this.OPTION(() => {
      this.CONSUME(Assign);
      const v = this.SUBRULE(this.conditionalExpression);
      this.ACTION(() => (e.value = v));
    });
    this.ACTION(() => this.declareName(name.image, false));
    return e;
  });

  // typeofSpecifier: 'typeof' '(' (typeName | expression) ')'
  typeofSpecifier = this.RULE('typeofSpecifier', (): BaseTypeSyntax => {
    const kw = this.CONSUME(Typeof);
    this.CONSUME(LParen);
    const b = this.OR({ DEF: [
      { GATE: () => this.startsTypeName(this.LA(1)), ALT: () => { const type = this.SUBRULE(this.typeName); return this.ACTION((): BaseTypeSyntax => ({ kind: 'typeof', type, loc: locOf(kw) })); } },
      { ALT: () => { const expr = this.SUBRULE(this.expression); return this.ACTION((): BaseTypeSyntax => ({ kind: 'typeof', expr, loc: locOf(kw) })); } },
    ], IGNORE_AMBIGUITIES: true });
    this.CONSUME(RParen);
    return b;
  });

  // attributeSpecifier: '__attribute__' '(' '(' attribute? (',' attribute?)* ')' ')'
  attributeSpecifier = this.RULE('attributeSpecifier', (): Attribute[] => {
    const list: Attribute[] = [];
    this.CONSUME(AttributeKw);
    this.CONSUME(LParen);
    this.CONSUME2(LParen);
    this.OPTION(() => list.push(this.SUBRULE(this.attribute)));
    this.MANY(() => {
      this.CONSUME(Comma);
      this.OPTION2(() => list.push(this.SUBRULE2(this.attribute)));
    });
    this.CONSUME(RParen);
    this.CONSUME2(RParen);
    return list;
  });

  // attribute: anyWord ('(' (assignmentExpression (',' assignmentExpression)*)? ')')?
  attribute = this.RULE('attribute', (): Attribute => {
    const name = this.CONSUME(AnyWord);
    const args: Expr[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION2(() => {
        args.push(this.SUBRULE(this.assignmentExpression));
        this.MANY(() => {
          this.CONSUME(Comma);
          args.push(this.SUBRULE2(this.assignmentExpression));
        });
      });
      this.CONSUME(RParen);
    });
    return this.ACTION(() => ({ name: name.image.replace(/^__(.+)__$/, '$1'), args }));
  });

  // -------------------------------------------------------------------------------------------
  // Declarators

  // declarator: pointer* directDeclarator
  // pointer: '*' (typeQualifier | attributeSpecifier)*
  declarator = this.RULE('declarator', (mode: DeclaratorMode): Declarator => {
    const start = this.ACTION(() => this.LA(1));
    const pointers: Derivation[] = [];
    const attributes: Attribute[] = [];
    this.MANY(() => {
      this.CONSUME(Star);
      const p = { kind: 'pointer' as const, const: false, volatile: false, restrict: false };
      this.MANY2(() => {
        this.OR([
          {
            ALT: () => {
              const q = this.CONSUME(QualifierKw);
              this.ACTION(() => {
                const n = keywordName(q);
                if (n === 'const') p.const = true;
                else if (n === 'volatile') p.volatile = true;
                else if (n === 'restrict') p.restrict = true;
              });
            },
          },
          { ALT: () => { const a = this.SUBRULE(this.attributeSpecifier); this.ACTION(() => attributes.push(...a)); } },
        ]);
      });
      pointers.push(p);
    });
    const direct = this.SUBRULE(this.directDeclarator, { ARGS: [mode] });
    return this.ACTION((): Declarator => ({
      ...(direct.name !== undefined ? { name: direct.name } : {}),
      derived: [...direct.derived, ...pointers.reverse()],
      attributes: [...attributes, ...direct.attributes],
      loc: direct.name !== undefined ? direct.loc : locOf(start),
    }));
  });

  // directDeclarator: (Identifier | '(' attributeSpecifier* declarator ')')? declaratorSuffix*
  directDeclarator = this.RULE('directDeclarator', (mode: DeclaratorMode): Declarator => {
    let head: Declarator | undefined;
    const start = this.ACTION(() => this.LA(1));
    this.OR({ DEF: [
      {
        GATE: () => mode !== 'abstract' && !this.isGroupingParen(mode),
        ALT: () => {
          const t = this.CONSUME(Identifier);
          this.ACTION(() => { head = { name: t.image, derived: [], attributes: [], loc: locOf(t) }; });
        },
      },
      {
        GATE: () => this.isGroupingParen(mode),
        ALT: () => {
          this.CONSUME(LParen);
          const attrs: Attribute[] = [];
          this.MANY(() => { const a = this.SUBRULE(this.attributeSpecifier); this.ACTION(() => attrs.push(...a)); });
          const inner = this.SUBRULE(this.declarator, { ARGS: [mode] });
          this.CONSUME(RParen);
          this.ACTION(() => {
            inner.attributes.push(...attrs);
            head = inner;
          });
        },
      },
      {
        GATE: () => mode !== 'named',
        ALT: () => undefined,
      },
    ], IGNORE_AMBIGUITIES: true });
    const suffixes: Derivation[] = [];
    this.MANY2(() => suffixes.push(this.SUBRULE(this.declaratorSuffix)));
    return this.ACTION((): Declarator => {
      const h = head ?? { derived: [], attributes: [], loc: locOf(start) };
      return { ...h, derived: [...h.derived, ...suffixes] };
    });
  });

  // declaratorSuffix: '[' ('static' | typeQualifier)* assignmentExpression? ']' | parameterTypeList
  declaratorSuffix = this.RULE('declaratorSuffix', (): Derivation => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(LBracket);
          let isStatic = false;
          let size: Expr | undefined;
          this.MANY(() => {
            this.OR2([
              { ALT: () => { this.CONSUME(Static); isStatic = true; } },
              { ALT: () => this.CONSUME(QualifierKw) },
            ]);
          });
          this.OPTION(() => { size = this.SUBRULE(this.assignmentExpression); });
          this.ACTION(() => this.require(RBracket));
          this.CONSUME(RBracket);
          return this.ACTION((): Derivation => (size ? { kind: 'array', size, static: isStatic } : { kind: 'array', static: isStatic }));
        },
      },
      { ALT: () => this.SUBRULE(this.parameterTypeList) },
    ]);
  });

  // parameterTypeList: '(' (('...' | parameterDeclaration (',' parameterDeclaration)* (',' '...')?))? ')'
  parameterTypeList = this.RULE('parameterTypeList', (): Derivation => {
    this.CONSUME(LParen);
    const params: ParamDecl[] = [];
    let variadic = false;
    let empty = true;
    let identifierList = false;
    this.pushScopeAction();
    this.OPTION({
      GATE: () => this.LA(1).tokenType !== RParen,
      DEF: () => {
        empty = false;
        this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
          { ALT: () => { this.CONSUME(Ellipsis); variadic = true; } },
          {
            // identifierList (K&R): Identifier (',' Identifier)*
            GATE: () => this.LA(1).tokenType === Identifier && !this.isTypedefName(this.LA(1).image) && (this.LA(2).tokenType === Comma || this.LA(2).tokenType === RParen),
            ALT: () => {
              const names: IToken[] = [this.CONSUME(Identifier)];
              this.MANY2(() => {
                this.CONSUME3(Comma);
                names.push(this.CONSUME2(Identifier));
              });
              identifierList = true;
              this.ACTION(() => {
                for (const n of names) {
                  const specs = emptySpecs(locOf(n));
                  specs.base = { kind: 'keywords', words: ['int'] };
                  this.untyped.add(specs);
                  params.push({ specs, declarator: { name: n.image, derived: [], attributes: [], loc: locOf(n) }, loc: locOf(n) });
                }
              });
            },
          },
          {
            ALT: () => {
              params.push(this.SUBRULE(this.parameterDeclaration));
              this.MANY(() => {
                this.CONSUME(Comma);
                this.OR2([
                  { ALT: () => { this.CONSUME2(Ellipsis); variadic = true; } },
                  { ALT: () => params.push(this.SUBRULE2(this.parameterDeclaration)) },
                ]);
              });
            },
          },
        ] });
      },
    });
    this.ACTION(() => {
      this.popScope();
      this.require(RParen, empty ? undefined : `expected ';', ',' or ')'`);
    });
    this.CONSUME(RParen);
    return this.ACTION((): Derivation => {
      // `(void)` declares no parameters; `()` leaves them unspecified.
      if (params.length === 1 && !variadic) {
        const p = params[0]!;
        if (p.specs.base.kind === 'keywords' && p.specs.base.words.join(' ') === 'void' && p.declarator.derived.length === 0 && p.declarator.name === undefined && !p.specs.const && !p.specs.volatile) {
          return { kind: 'function', params: [], variadic: false, oldStyle: false };
        }
      }
      return { kind: 'function', params, variadic, oldStyle: empty || identifierList };
    });
  });

  private pushScopeAction(): void {
    this.ACTION(() => this.pushScope());
  }

  // parameterDeclaration: declarationSpecifiers declarator   (named or abstract)
  parameterDeclaration = this.RULE('parameterDeclaration', (): ParamDecl => {
    this.ACTION(() => {
      const t = this.LA(1);
      if (!this.startsDeclSpec(t, false)) {
        if (t.tokenType === Identifier && (this.LA(2).tokenType === Identifier || this.LA(2).tokenType === Star)) throw new ParseFailure(`unknown type name '${t.image}'`, t, false, undefined);
        this.fail(`expected declaration specifiers or '...'`);
      }
    });
    const specs = this.SUBRULE(this.declarationSpecifiers);
    const declarator = this.SUBRULE(this.declarator, { ARGS: ['either'] });
    return this.ACTION((): ParamDecl => {
      this.declareName(declarator.name, false);
      return { specs, declarator, loc: declarator.name !== undefined ? declarator.loc : specs.loc };
    });
  });

  // typeName: declarationSpecifiers abstractDeclarator
  typeName = this.RULE('typeName', (): TypeName => {
    this.ACTION(() => {
      if (!this.startsTypeName(this.LA(1))) this.fail('expected specifier-qualifier-list');
    });
    const specs = this.SUBRULE(this.declarationSpecifiers);
    const declarator = this.SUBRULE(this.declarator, { ARGS: ['abstract'] });
    return this.ACTION((): TypeName => ({ specs, declarator, loc: specs.loc }));
  });

  // -------------------------------------------------------------------------------------------
  // Initializers

  // initializer: assignmentExpression | initializerList
  initializer = this.RULE('initializer', (): Initializer => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.initializerList) },
      { ALT: () => { const e = this.SUBRULE(this.assignmentExpression); return this.ACTION((): Initializer => ({ kind: 'expr', expr: e, loc: e.loc })); } },
    ]);
  });

  // initializerList: '{' (initializerItem (',' initializerItem)* ','?)? '}'
  initializerList = this.RULE('initializerList', (): Initializer => {
    const open = this.CONSUME(LBrace);
    const items: InitItem[] = [];
    this.OPTION(() => {
      items.push(this.SUBRULE(this.initializerItem));
      this.MANY(() => {
        this.CONSUME(Comma);
        items.push(this.SUBRULE2(this.initializerItem));
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.ACTION(() => this.require(RBrace, this.LA(1).tokenType === EOF ? undefined : `expected '}'`));
    this.CONSUME(RBrace);
    return this.ACTION((): Initializer => ({ kind: 'list', items, loc: locOf(open) }));
  });

  // initializerItem: (designator+ '=' | Identifier ':')? initializer
  initializerItem = this.RULE('initializerItem', (): InitItem => {
    const designators: Designator[] = [];
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.AT_LEAST_ONE(() => designators.push(this.SUBRULE(this.designator)));
            this.CONSUME(Assign);
          },
        },
        {
          ALT: () => {
            const name = this.CONSUME(Identifier);
            this.CONSUME(Colon);
            this.ACTION(() => designators.push({ kind: 'field', name: name.image, loc: locOf(name) }));
          },
        },
      ]);
    });
    const init = this.SUBRULE(this.initializer);
    return { designators, init };
  });

  // designator: '[' constantExpression ('...' constantExpression)? ']' | '.' Identifier
  designator = this.RULE('designator', (): Designator => {
    return this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(LBracket);
          const index = this.SUBRULE(this.conditionalExpression);
          let last: Expr | undefined;
          this.OPTION(() => {
            this.CONSUME(Ellipsis);
            last = this.SUBRULE2(this.conditionalExpression);
          });
          this.CONSUME(RBracket);
          return this.ACTION((): Designator => (last ? { kind: 'index', index, last, loc: locOf(open) } : { kind: 'index', index, loc: locOf(open) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(Dot);
          this.ACTION(() => { if (this.LA(1).tokenType !== Identifier) this.fail('expected identifier'); });
          const name = this.CONSUME2(Identifier);
          return this.ACTION((): Designator => ({ kind: 'field', name: name.image, loc: locOf(name) }));
        },
      },
    ]);
  });

  // -------------------------------------------------------------------------------------------
  // Statements

  // compoundStatement: '{' blockItem* '}'
  compoundStatement = this.RULE('compoundStatement', (): CompoundStmt => {
    const open = this.CONSUME(LBrace);
    this.pushScopeAction();
    const items: (Stmt | Declaration | StaticAssert)[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.blockItem)));
    this.ACTION(() => {
      const t = this.LA(1);
      if (t.tokenType === EOF) throw new ParseFailure('expected declaration or statement at end of input', t, false, this.LA(0));
      if (t.tokenType !== RBrace) this.fail('expected expression');
      this.popScope();
    });
    this.CONSUME(RBrace);
    return this.ACTION((): CompoundStmt => ({ kind: 'compound', items, loc: locOf(open) }));
  });

  // blockItem: declaration | statement
  blockItem = this.RULE('blockItem', (): Stmt | Declaration | StaticAssert => {
    this.ACTION(() => {
      const a = this.LA(1);
      if (a.tokenType === Identifier && this.LA(2).tokenType === Identifier && !this.isTypedefName(a.image)) {
        throw new ParseFailure(`unknown type name '${a.image}'`, a, false, undefined);
      }
    });
    return this.OR({ DEF: [
      {
        GATE: () => this.startsDeclaration(),
        ALT: () => this.SUBRULE(this.declaration),
      },
      { ALT: () => this.SUBRULE(this.statement) },
    ], IGNORE_AMBIGUITIES: true });
  });

  /** `__attribute__((fallthrough));` is a statement: the attribute is followed by ';'. */
  private attributeStatementAhead(start: number): boolean {
    let depth = 0;
    for (let k = start + 1; k < start + 400; k++) {
      const t = this.LA(k);
      if (t.tokenType === EOF) return false;
      if (t.tokenType === LParen) depth++;
      else if (t.tokenType === RParen && --depth === 0) {
        const next = this.LA(k + 1).tokenType;
        if (next === AttributeKw) return this.attributeStatementAhead(k + 1);
        return next === Semi;
      }
    }
    return false;
  }

  // statement: labeledStatement | caseStatement | defaultStatement | compoundStatement | ifStatement
  //          | switchStatement | whileStatement | doStatement | forStatement | jumpStatement
  //          | asmStatement | attributeStatement | expressionStatement
  statement = this.RULE('statement', (): Stmt => {
    return this.OR({ DEF: [
      { GATE: () => this.LA(2).tokenType === Colon, ALT: () => this.SUBRULE(this.labeledStatement) },
      { ALT: () => this.SUBRULE(this.caseStatement) },
      { ALT: () => this.SUBRULE(this.defaultStatement) },
      { ALT: () => this.SUBRULE(this.compoundStatement) },
      { ALT: () => this.SUBRULE(this.ifStatement) },
      { ALT: () => this.SUBRULE(this.switchStatement) },
      { ALT: () => this.SUBRULE(this.whileStatement) },
      { ALT: () => this.SUBRULE(this.doStatement) },
      { ALT: () => this.SUBRULE(this.forStatement) },
      { ALT: () => this.SUBRULE(this.jumpStatement) },
      { ALT: () => this.SUBRULE(this.asmStatement) },
      { ALT: () => this.SUBRULE(this.attributeStatement) },
      { ALT: () => this.SUBRULE(this.expressionStatement) },
    ], IGNORE_AMBIGUITIES: true });
  });

  // labeledStatement: Identifier ':' attributeSpecifier* statement
  labeledStatement = this.RULE('labeledStatement', (): Stmt => {
    const name = this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.MANY(() => this.SUBRULE(this.attributeSpecifier));
    const body = this.SUBRULE(this.labelBody);
    return this.ACTION((): Stmt => ({ kind: 'label', name: name.image, body, loc: locOf(name) }));
  });

  // labelBody: statement | (before '}' or a declaration) nothing: the label marks an empty
  // statement, and a following declaration is parsed as the next block item (C23, GNU)
  labelBody = this.RULE('labelBody', (): Stmt => {
    return this.OR({
      DEF: [
        { GATE: () => this.LA(1).tokenType !== RBrace && !this.startsDeclaration(), ALT: () => this.SUBRULE(this.statement) },
        {
          ALT: () => this.ACTION((): Stmt => {
            if (this.LA(1).tokenType === RBrace) this.warn('label at end of compound statement', this.LA(1));
            return { kind: 'expr', loc: locOf(this.LA(1)) };
          }),
        },
      ],
      IGNORE_AMBIGUITIES: true,
    });
  });

  // caseStatement: 'case' constantExpression ('...' constantExpression)? ':' statement
  caseStatement = this.RULE('caseStatement', (): Stmt => {
    const kw = this.CONSUME(Case);
    const value = this.SUBRULE(this.conditionalExpression);
    let last: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(Ellipsis);
      last = this.SUBRULE2(this.conditionalExpression);
    });
    this.ACTION(() => this.require(Colon, last ? undefined : `expected ':' or '...'`));
    this.CONSUME(Colon);
    const body = this.SUBRULE(this.labelBody);
    return this.ACTION((): Stmt => (last ? { kind: 'case', value, last, body, loc: locOf(kw) } : { kind: 'case', value, body, loc: locOf(kw) }));
  });

  // defaultStatement: 'default' ':' statement
  defaultStatement = this.RULE('defaultStatement', (): Stmt => {
    const kw = this.CONSUME(Default);
    this.ACTION(() => this.require(Colon));
    this.CONSUME(Colon);
    const body = this.SUBRULE(this.labelBody);
    return this.ACTION((): Stmt => ({ kind: 'default', body, loc: locOf(kw) }));
  });

  // ifStatement: 'if' '(' expression ')' statement ('else' statement)?
  ifStatement = this.RULE('ifStatement', (): Stmt => {
    const kw = this.CONSUME(If);
    const cond = this.SUBRULE(this.parenthesizedExpression);
    const then = this.SUBRULE(this.statement);
    let otherwise: Stmt | undefined;
    this.OPTION(() => {
      this.CONSUME(Else);
      otherwise = this.SUBRULE2(this.statement);
    });
    return this.ACTION((): Stmt => (otherwise ? { kind: 'if', cond, then, else: otherwise, loc: locOf(kw) } : { kind: 'if', cond, then, loc: locOf(kw) }));
  });

  // parenthesizedExpression: '(' expression ')'
  parenthesizedExpression = this.RULE('parenthesizedExpression', (): Expr => {
    this.ACTION(() => this.require(LParen));
    this.CONSUME(LParen);
    const e = this.SUBRULE(this.expression);
    this.ACTION(() => this.require(RParen));
    this.CONSUME(RParen);
    return e;
  });

  // switchStatement: 'switch' '(' expression ')' statement
  switchStatement = this.RULE('switchStatement', (): Stmt => {
    const kw = this.CONSUME(Switch);
    const cond = this.SUBRULE(this.parenthesizedExpression);
    const body = this.SUBRULE(this.statement);
    return this.ACTION((): Stmt => ({ kind: 'switch', cond, body, loc: locOf(kw) }));
  });

  // whileStatement: 'while' '(' expression ')' statement
  whileStatement = this.RULE('whileStatement', (): Stmt => {
    const kw = this.CONSUME(While);
    const cond = this.SUBRULE(this.parenthesizedExpression);
    const body = this.SUBRULE(this.statement);
    return this.ACTION((): Stmt => ({ kind: 'while', cond, body, loc: locOf(kw) }));
  });

  // doStatement: 'do' statement 'while' '(' expression ')' ';'
  doStatement = this.RULE('doStatement', (): Stmt => {
    const kw = this.CONSUME(Do);
    const body = this.SUBRULE(this.statement);
    this.ACTION(() => this.require(While));
    this.CONSUME(While);
    const cond = this.SUBRULE(this.parenthesizedExpression);
    this.ACTION(() => this.require(Semi));
    this.CONSUME(Semi);
    return this.ACTION((): Stmt => ({ kind: 'do', body, cond, loc: locOf(kw) }));
  });

  // forStatement: 'for' '(' (declaration | expression? ';') expression? ';' expression? ')' statement
  forStatement = this.RULE('forStatement', (): Stmt => {
    const kw = this.CONSUME(For);
    this.ACTION(() => this.require(LParen));
    this.CONSUME(LParen);
    this.pushScopeAction();
    let init: Expr | Declaration | undefined;
    let cond: Expr | undefined;
    let step: Expr | undefined;
    this.OR({ DEF: [
      {
        GATE: () => this.startsDeclaration(),
        ALT: () => {
          const d = this.SUBRULE(this.declaration);
          this.ACTION(() => {
            if (d.kind === 'static_assert') this.error('expected expression before \'_Static_assert\'', kw);
            else init = d;
          });
        },
      },
      {
        ALT: () => {
          this.OPTION(() => { init = this.SUBRULE(this.expression); });
          this.ACTION(() => this.require(Semi));
          this.CONSUME(Semi);
        },
      },
    ], IGNORE_AMBIGUITIES: true });
    this.OPTION2(() => { cond = this.SUBRULE2(this.expression); });
    this.ACTION(() => this.require(Semi));
    this.CONSUME2(Semi);
    this.OPTION3(() => { step = this.SUBRULE3(this.expression); });
    this.ACTION(() => this.require(RParen));
    this.CONSUME(RParen);
    const body = this.SUBRULE(this.statement);
    return this.ACTION((): Stmt => {
      this.popScope();
      const s: Stmt = { kind: 'for', body, loc: locOf(kw) };
      if (init) s.init = init;
      if (cond) s.cond = cond;
      if (step) s.step = step;
      return s;
    });
  });

  // jumpStatement: 'goto' Identifier ';' | 'continue' ';' | 'break' ';' | 'return' expression? ';'
  jumpStatement = this.RULE('jumpStatement', (): Stmt => {
    const s = this.OR([
      {
        ALT: () => {
          const kw = this.CONSUME(Goto);
          this.ACTION(() => { if (this.LA(1).tokenType !== Identifier) this.fail('expected identifier or \'*\''); });
          const label = this.CONSUME(Identifier);
          return this.ACTION((): Stmt => ({ kind: 'goto', label: label.image, loc: locOf(kw) }));
        },
      },
      { ALT: () => { const kw = this.CONSUME(Continue); return this.ACTION((): Stmt => ({ kind: 'continue', loc: locOf(kw) })); } },
      { ALT: () => { const kw = this.CONSUME(Break); return this.ACTION((): Stmt => ({ kind: 'break', loc: locOf(kw) })); } },
      {
        ALT: () => {
          const kw = this.CONSUME(Return);
          let value: Expr | undefined;
          this.OPTION(() => { value = this.SUBRULE(this.expression); });
          return this.ACTION((): Stmt => (value ? { kind: 'return', value, loc: locOf(kw) } : { kind: 'return', loc: locOf(kw) }));
        },
      },
    ]);
    this.ACTION(() => this.require(Semi));
    this.CONSUME(Semi);
    return s;
  });

  // asmStatement: 'asm' (typeQualifier | 'inline' | 'goto')* '(' StringLiteral+ (':' asmOperands)* ')' ';'
  // asmOperands: (asmOperand (',' asmOperand)*)?
  asmStatement = this.RULE('asmStatement', (): Stmt => {
    const kw = this.CONSUME(Asm);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(QualifierKw) }, { ALT: () => this.CONSUME(FunctionSpecKw) }, { ALT: () => this.CONSUME(Goto) }]);
    });
    this.CONSUME(LParen);
    const parts: IToken[] = [];
    this.AT_LEAST_ONE(() => parts.push(this.CONSUME(StringLiteral)));
    this.MANY2(() => {
      this.CONSUME(Colon);
      this.OPTION(() => {
        this.SUBRULE(this.asmOperand);
        this.MANY3(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.asmOperand);
        });
      });
    });
    this.ACTION(() => this.require(RParen));
    this.CONSUME(RParen);
    this.ACTION(() => this.require(Semi));
    this.CONSUME(Semi);
    return this.ACTION((): Stmt => ({ kind: 'asm', text: new TextDecoder().decode(this.stringBytes(parts).value), loc: locOf(kw) }));
  });

  // asmOperand: ('[' Identifier ']')? StringLiteral ('(' expression ')')? | Identifier
  asmOperand = this.RULE('asmOperand', (): void => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => {
            this.CONSUME(LBracket);
            this.CONSUME(Identifier);
            this.CONSUME(RBracket);
          });
          this.CONSUME(StringLiteral);
          this.OPTION2(() => {
            this.CONSUME(LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(RParen);
          });
        },
      },
      { ALT: () => this.CONSUME2(Identifier) },
    ]);
  });

  // attributeStatement: attributeSpecifier+ ';'     (e.g. __attribute__((fallthrough));)
  attributeStatement = this.RULE('attributeStatement', (): Stmt => {
    const start = this.ACTION(() => this.LA(1));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.attributeSpecifier));
    this.CONSUME(Semi);
    return this.ACTION((): Stmt => ({ kind: 'expr', loc: locOf(start) }));
  });

  // expressionStatement: expression? ';'
  expressionStatement = this.RULE('expressionStatement', (): Stmt => {
    let expr: Expr | undefined;
    const start = this.ACTION(() => this.LA(1));
    this.OPTION(() => { expr = this.SUBRULE(this.expression); });
    this.ACTION(() => {
      if (!expr && this.LA(1).tokenType !== Semi) this.fail('expected expression');
      this.require(Semi);
    });
    this.CONSUME(Semi);
    return this.ACTION((): Stmt => (expr ? { kind: 'expr', expr, loc: expr.loc } : { kind: 'expr', loc: locOf(start) }));
  });

  // -------------------------------------------------------------------------------------------
  // Expressions

  // expression: assignmentExpression (',' assignmentExpression)*
  expression = this.RULE('expression', (): Expr => {
    let e = this.SUBRULE(this.assignmentExpression);
    this.MANY(() => {
      const comma = this.CONSUME(Comma);
      const right = this.SUBRULE2(this.assignmentExpression);
      this.ACTION(() => { e = { kind: 'comma', left: e, right, loc: locOf(comma) }; });
    });
    return e;
  });

  // assignmentExpression: conditionalExpression (assignmentOperator assignmentExpression)?
  assignmentExpression = this.RULE('assignmentExpression', (): Expr => {
    const target = this.SUBRULE(this.conditionalExpression);
    let result = target;
    this.OPTION(() => {
      const op = this.CONSUME(AssignOperator);
      const value = this.SUBRULE(this.assignmentExpression);
      this.ACTION(() => { result = { kind: 'assign', op: op.image as AssignOp, target, value, loc: locOf(op) }; });
    });
    return result;
  });

  // conditionalExpression: binaryExpression ('?' expression? ':' conditionalExpression)?
  // (GNU `a ?: b` reuses the condition node as the 'then' operand: then === cond.)
  conditionalExpression = this.RULE('conditionalExpression', (): Expr => {
    const cond = this.SUBRULE(this.binaryExpression);
    let result = cond;
    this.OPTION(() => {
      const q = this.CONSUME(Question);
      let then: Expr | undefined;
      this.OPTION2(() => { then = this.SUBRULE(this.expression); });
      this.ACTION(() => this.require(Colon));
      this.CONSUME(Colon);
      const otherwise = this.SUBRULE(this.conditionalExpression);
      this.ACTION(() => { result = { kind: 'cond', cond, then: then ?? cond, else: otherwise, loc: locOf(q) }; });
    });
    return result;
  });

  // binaryExpression: castExpression (binaryOperator castExpression)*   (folded by C precedence)
  binaryExpression = this.RULE('binaryExpression', (): Expr => {
    const operands = [this.SUBRULE(this.castExpression)];
    const ops: IToken[] = [];
    this.MANY(() => {
      ops.push(this.CONSUME(BinaryOperator));
      operands.push(this.SUBRULE2(this.castExpression));
    });
    return this.ACTION(() => (ops.length === 0 ? operands[0]! : this.foldBinary(operands, ops)));
  });

  // castExpression: '(' typeName ')' (castExpression | initializerList postfixSuffix*) | unaryExpression
  castExpression = this.RULE('castExpression', (): Expr => {
    return this.OR({ DEF: [
      {
        GATE: () => this.LA(1).tokenType === LParen && this.startsTypeName(this.LA(2)),
        ALT: () => {
          const open = this.CONSUME(LParen);
          const type = this.SUBRULE(this.typeName);
          this.ACTION(() => this.require(RParen));
          this.CONSUME(RParen);
          return this.OR2([
            {
              ALT: () => {
                const init = this.SUBRULE(this.initializerList);
                let e: Expr = this.ACTION((): Expr => ({ kind: 'compound_literal', type, init, loc: locOf(open) }));
                this.MANY(() => { e = this.SUBRULE(this.postfixSuffix, { ARGS: [e] }); });
                return e;
              },
            },
            {
              ALT: () => {
                const operand = this.SUBRULE(this.castExpression);
                return this.ACTION((): Expr => ({ kind: 'cast', type, operand, loc: locOf(open) }));
              },
            },
          ]);
        },
      },
      { ALT: () => this.SUBRULE(this.unaryExpression) },
    ], IGNORE_AMBIGUITIES: true });
  });

  // unaryExpression: ('++' | '--') unaryExpression | unaryOperator castExpression
  //   | 'sizeof' ('(' typeName ')' initializerList? | unaryExpression) | '_Alignof' '(' (typeName | expression) ')'
  //   | '__extension__' castExpression | postfixExpression
  unaryExpression = this.RULE('unaryExpression', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(PlusPlus) }, { ALT: () => this.CONSUME(MinusMinus) }]);
          const operand = this.SUBRULE(this.unaryExpression);
          return this.ACTION((): Expr => ({ kind: op.tokenType === PlusPlus ? 'preinc' : 'predec', operand, loc: locOf(op) }));
        },
      },
      {
        ALT: () => {
          const op = this.OR3([
            { ALT: () => this.CONSUME(Amp) },
            { ALT: () => this.CONSUME(Star) },
            { ALT: () => this.CONSUME(Plus) },
            { ALT: () => this.CONSUME(Minus) },
            { ALT: () => this.CONSUME(Tilde) },
            { ALT: () => this.CONSUME(Bang) },
          ]);
          const operand = this.SUBRULE(this.castExpression);
          return this.ACTION((): Expr => ({ kind: 'unary', op: op.image as UnaryOp, operand, loc: locOf(op) }));
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(Sizeof);
          return this.OR4({ DEF: [
            {
              // sizeof (T), or sizeof (T){ ... } with a compound literal operand
              GATE: () => this.LA(1).tokenType === LParen && this.startsTypeName(this.LA(2)),
              ALT: () => {
                const open = this.CONSUME(LParen);
                const type = this.SUBRULE(this.typeName);
                this.ACTION(() => this.require(RParen));
                this.CONSUME(RParen);
                let literal: Expr | undefined;
                this.OPTION(() => {
                  const init = this.SUBRULE(this.initializerList);
                  let e: Expr = this.ACTION((): Expr => ({ kind: 'compound_literal', type, init, loc: locOf(open) }));
                  this.MANY(() => { e = this.SUBRULE(this.postfixSuffix, { ARGS: [e] }); });
                  literal = e;
                });
                return this.ACTION((): Expr => (literal ? { kind: 'sizeof_expr', operand: literal, loc: locOf(kw) } : { kind: 'sizeof_type', type, loc: locOf(kw) }));
              },
            },
            {
              ALT: () => {
                const operand = this.SUBRULE2(this.unaryExpression);
                return this.ACTION((): Expr => ({ kind: 'sizeof_expr', operand, loc: locOf(kw) }));
              },
            },
          ], IGNORE_AMBIGUITIES: true });
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(Alignof);
          this.CONSUME2(LParen);
          const type = this.OR5({ DEF: [
            { GATE: () => this.startsTypeName(this.LA(1)), ALT: () => this.SUBRULE2(this.typeName) },
            {
              ALT: () => {
                const e = this.SUBRULE(this.expression);
                return this.ACTION((): TypeName => {
                  const specs = emptySpecs(e.loc);
                  specs.base = { kind: 'typeof', expr: e, loc: e.loc };
                  return { specs, declarator: { derived: [], attributes: [], loc: e.loc }, loc: e.loc };
                });
              },
            },
          ], IGNORE_AMBIGUITIES: true });
          this.CONSUME2(RParen);
          return this.ACTION((): Expr => ({ kind: 'alignof', type, loc: locOf(kw) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(Extension);
          return this.SUBRULE2(this.castExpression);
        },
      },
      {
        ALT: () => {
          const op = this.CONSUME(AndAnd);
          const label = this.CONSUME(Identifier);
          return this.ACTION((): Expr => {
            this.error('taking the address of a label is not supported', op);
            return { kind: 'ident', name: label.image, loc: locOf(label) };
          });
        },
      },
      { ALT: () => this.SUBRULE(this.postfixExpression) },
    ]);
  });

  // postfixExpression: primaryExpression postfixSuffix*
  postfixExpression = this.RULE('postfixExpression', (): Expr => {
    let e = this.SUBRULE(this.primaryExpression);
    this.MANY(() => { e = this.SUBRULE(this.postfixSuffix, { ARGS: [e] }); });
    return e;
  });

  // postfixSuffix: '[' expression ']' | '(' (assignmentExpression (',' assignmentExpression)*)? ')'
  //              | '.' Identifier | '->' Identifier | '++' | '--'
  postfixSuffix = this.RULE('postfixSuffix', (base: Expr): Expr => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(LBracket);
          const index = this.SUBRULE(this.expression);
          this.ACTION(() => this.require(RBracket));
          this.CONSUME(RBracket);
          return this.ACTION((): Expr => ({ kind: 'index', base, index, loc: base.loc }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(LParen);
          const args: Expr[] = [];
          this.OPTION(() => {
            args.push(this.SUBRULE(this.assignmentExpression));
            this.MANY(() => {
              this.CONSUME(Comma);
              args.push(this.SUBRULE2(this.assignmentExpression));
            });
          });
          this.ACTION(() => this.require(RParen));
          this.CONSUME(RParen);
          return this.ACTION((): Expr => ({ kind: 'call', callee: base, args, loc: base.loc }));
        },
      },
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(Dot) }, { ALT: () => this.CONSUME(Arrow) }]);
          this.ACTION(() => { if (this.LA(1).tokenType !== Identifier) this.fail('expected identifier'); });
          const name = this.CONSUME(Identifier);
          return this.ACTION((): Expr => ({ kind: 'member', base, name: name.image, arrow: op.tokenType === Arrow, loc: locOf(op) }));
        },
      },
      { ALT: () => { const op = this.CONSUME(PlusPlus); return this.ACTION((): Expr => ({ kind: 'postinc', operand: base, loc: locOf(op) })); } },
      { ALT: () => { const op = this.CONSUME(MinusMinus); return this.ACTION((): Expr => ({ kind: 'postdec', operand: base, loc: locOf(op) })); } },
    ]);
  });

  // primaryExpression: Identifier | NumberLiteral | CharLiteral | StringLiteral+ | '(' compoundStatement ')'
  //   | '(' expression ')' | genericSelection | '__builtin_va_arg' '(' assignmentExpression ',' typeName ')'
  //   | '__builtin_offsetof' '(' typeName ',' offsetofMember ')'
  primaryExpression = this.RULE('primaryExpression', (): Expr => {
    return this.OR({ DEF: [
      { ALT: () => { const t = this.CONSUME(Identifier); return this.ACTION((): Expr => ({ kind: 'ident', name: t.image, loc: locOf(t) })); } },
      { ALT: () => { const t = this.CONSUME(NumberLiteral); return this.ACTION(() => this.numberExpr(t)); } },
      {
        ALT: () => {
          const t = this.CONSUME(CharLiteral);
          return this.ACTION((): Expr => {
            const problems: string[] = [];
            const { value, prefix } = charLiteralValue(t.image, problems);
            for (const p of problems) (p === 'empty character constant' ? this.error.bind(this) : this.warn.bind(this))(p, t);
            return { kind: 'char', value, prefix, loc: locOf(t) };
          });
        },
      },
      {
        ALT: () => {
          const parts: IToken[] = [];
          this.AT_LEAST_ONE(() => parts.push(this.CONSUME(StringLiteral)));
          return this.ACTION((): Expr => {
            const { value, prefix } = this.stringBytes(parts);
            return { kind: 'string', value, prefix, loc: locOf(parts[0]!) };
          });
        },
      },
      {
        GATE: () => this.LA(2).tokenType === LBrace,
        ALT: () => {
          const open = this.CONSUME(LParen);
          const body = this.SUBRULE(this.compoundStatement);
          this.ACTION(() => this.require(RParen));
          this.CONSUME(RParen);
          return this.ACTION((): Expr => ({ kind: 'stmt_expr', body, loc: locOf(open) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(LParen);
          const e = this.SUBRULE(this.expression);
          this.ACTION(() => this.require(RParen));
          this.CONSUME2(RParen);
          return e;
        },
      },
      { ALT: () => this.SUBRULE(this.genericSelection) },
      {
        ALT: () => {
          const kw = this.CONSUME(BuiltinVaArg);
          this.CONSUME3(LParen);
          const ap = this.SUBRULE(this.assignmentExpression);
          this.CONSUME(Comma);
          const type = this.SUBRULE(this.typeName);
          this.CONSUME3(RParen);
          return this.ACTION((): Expr => ({ kind: 'va_arg', ap, type, loc: locOf(kw) }));
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(BuiltinOffsetof);
          this.CONSUME4(LParen);
          const type = this.SUBRULE2(this.typeName);
          this.CONSUME2(Comma);
          const path = this.SUBRULE(this.offsetofMember);
          this.CONSUME4(RParen);
          return this.ACTION((): Expr => ({ kind: 'offsetof', type, path, loc: locOf(kw) }));
        },
      },
    ], IGNORE_AMBIGUITIES: true });
  });

  // offsetofMember: Identifier ('.' Identifier | '[' expression ']')*
  offsetofMember = this.RULE('offsetofMember', (): (string | Expr)[] => {
    const path: (string | Expr)[] = [this.CONSUME(Identifier).image];
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.CONSUME(Dot); path.push(this.CONSUME2(Identifier).image); } },
        {
          ALT: () => {
            this.CONSUME(LBracket);
            path.push(this.SUBRULE(this.expression));
            this.CONSUME(RBracket);
          },
        },
      ]);
    });
    return path;
  });

  // genericSelection: '_Generic' '(' assignmentExpression (',' (typeName | 'default') ':' assignmentExpression)+ ')'
  genericSelection = this.RULE('genericSelection', (): Expr => {
    const kw = this.CONSUME(Generic);
    this.CONSUME(LParen);
    const control = this.SUBRULE(this.assignmentExpression);
    const assocs: { type?: TypeName; expr: Expr }[] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(Comma);
      let type: TypeName | undefined;
      this.OR([{ ALT: () => { this.CONSUME(Default); } }, { ALT: () => { type = this.SUBRULE(this.typeName); } }]);
      this.CONSUME(Colon);
      const expr = this.SUBRULE2(this.assignmentExpression);
      this.ACTION(() => assocs.push(type ? { type, expr } : { expr }));
    });
    this.CONSUME(RParen);
    return this.ACTION((): Expr => ({ kind: 'generic', control, assocs, loc: locOf(kw) }));
  });
}

let parserInstance: CParser | undefined;

function cParser(): CParser {
  parserInstance ??= new CParser();
  return parserInstance;
}

/** Builds the parser with chevrotain's grammar validations on; throws if the grammar is bad. */
export function validateCGrammar(): void {
  new CParser(true);
}

export interface ParseResult {
  unit?: TranslationUnit;
  diagnostics: Diagnostic[];
}

/** Where gcc reports a failure: after the previous token when a closing token is missing. */
function failureLoc(found: IToken | undefined, previous: IToken | undefined, afterPrevious: boolean): Loc | undefined {
  const prev = previous && previous.tokenType && previous.tokenType !== EOF && (previous as CToken).loc ? (previous as CToken) : undefined;
  const atEof = !found || found.tokenType === EOF;
  if (prev && (atEof || (afterPrevious && ((found as CToken).loc.line !== prev.loc.line || (found as CToken).loc.file !== prev.loc.file)))) {
    if (atEof && !afterPrevious) return { ...prev.loc };
    return { ...prev.loc, col: prev.loc.col + prev.image.length };
  }
  if (found && !atEof && (found as CToken).loc) return { ...(found as CToken).loc };
  return prev ? { ...prev.loc } : undefined;
}

const EXPRESSION_RULES = new Set([
  'expression', 'assignmentExpression', 'conditionalExpression', 'binaryExpression', 'castExpression', 'unaryExpression',
  'postfixExpression', 'primaryExpression', 'initializer', 'initializerItem', 'statement', 'expressionStatement', 'blockItem',
  'parenthesizedExpression', 'labelBody',
]);

/** Rebuilds gcc's message for a chevrotain recognition exception. */
function recognitionDiagnostic(e: IRecognitionException): Diagnostic {
  const found = e.token;
  const previous = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  const stack = e.context?.ruleStack ?? [];
  const rule = stack[stack.length - 1] ?? '';
  const before = (what: string): string => (!found || found.tokenType === EOF ? `${what} at end of input` : `${what} before ${describeToken(found)}`);
  let message: string;
  let afterPrevious = false;
  if (e.name === 'MismatchedTokenException') {
    const expectedName = e.message.startsWith('expected\u0000') ? e.message.slice(9) : '';
    const type = tokenTypeByName.get(expectedName);
    const label = type?.LABEL ?? expectedName;
    afterPrevious = CLOSING_TOKENS.has(label.replace(/'/g, ''));
    if (rule === 'compoundStatement' && found?.tokenType === EOF) message = 'expected declaration or statement at end of input';
    else if (type === Identifier) message = before('expected identifier');
    else message = before(`expected ${label}`);
  } else if (e.message.startsWith('custom\u0000')) {
    message = before(e.message.slice(7));
  } else if (e.name === 'NotAllInputParsedException') {
    message = before(`expected identifier or '('`);
  } else if (EXPRESSION_RULES.has(rule)) {
    message = before('expected expression');
  } else if (rule === 'directDeclarator' || rule === 'declarator' || rule === 'externalDeclaration') {
    message = before(`expected identifier or '('`);
  } else if (rule === 'parameterDeclaration' || rule === 'parameterTypeList') {
    message = before(`expected declaration specifiers or '...'`);
  } else if (rule === 'typeName' || rule === 'structDeclaration') {
    message = before('expected specifier-qualifier-list');
  } else if (rule === 'attribute' || rule === 'enumerator' || rule === 'designator' || rule === 'offsetofMember') {
    message = before('expected identifier');
  } else if (rule === 'asmStatement' || rule === 'asmLabel') {
    message = before('expected string literal');
  } else {
    message = before('expected expression');
  }
  const loc = failureLoc(found, previous, afterPrevious);
  const d: Diagnostic = { severity: 'error', message, ...(loc ? { loc } : {}) };
  if (found && found.tokenType !== EOF) d.length = Math.max(1, found.image.length);
  return d;
}

/**
 * Parses preprocessed C text (with line markers) into a translation unit. Diagnostics carry
 * original file/line/column; `unit` is absent when there were errors that stop parsing.
 */
export function parseTranslationUnit(preprocessedText: string, fileName: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const lexed = lexC(preprocessedText, fileName);
    diagnostics.push(...lexed.diagnostics);
    const parser = cParser();
    parser.startInput(lexed.tokens);
    let decls: ExternalDecl[] | undefined;
    try {
      decls = parser.translationUnit();
    } catch (e) {
      if (e instanceof ParseFailure) {
        const loc = failureLoc(e.token, e.previous, e.afterPrevious);
        const d: Diagnostic = { severity: 'error', message: e.message, ...(loc ? { loc } : {}) };
        if (e.token && e.token.tokenType !== EOF) d.length = Math.max(1, e.token.image.length);
        diagnostics.push(...sortDiagnostics([...parser.diagnostics, d]));
        return { diagnostics };
      }
      if (e instanceof RangeError) {
        diagnostics.push(...parser.diagnostics, { severity: 'error', message: 'nesting too deep for the parser', ...(lexed.tokens[0] ? { loc: { ...lexed.tokens[0].loc } } : {}) });
        return { diagnostics };
      }
      throw e;
    }
    if (parser.errors.length > 0) {
      diagnostics.push(...sortDiagnostics([...parser.diagnostics, recognitionDiagnostic(parser.errors[0]!)]));
      return { diagnostics };
    }
    diagnostics.push(...sortDiagnostics(parser.diagnostics));
    if (diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal error')) return { diagnostics };
    return { unit: { file: fileName, decls: decls ?? [] }, diagnostics };
  } catch (e) {
    diagnostics.push({ severity: 'error', message: `internal parser error: ${e instanceof Error ? e.message : String(e)}` });
    return { diagnostics };
  }
}

/** In source order (warnings found before a stopping error come first), stable otherwise. */
function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const x = a.d.loc;
      const y = b.d.loc;
      if (!x || !y || x.file !== y.file) return a.i - b.i;
      return x.line - y.line || x.col - y.col || a.i - b.i;
    })
    .map((e) => e.d);
}

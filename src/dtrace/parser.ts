// The D parser (chevrotain EmbeddedActionsParser): tokens from lexer.ts to the AST of ast.ts.
// One RULE per grammar rule, as in dt_grammar.y, with C's precedence plus D's `^^` (logical xor)
// between `||` and `&&`. Only syntax lives here; meaning is sema.ts's job. Errors are reported as
// dtrace reports them: `syntax error near "}"` / `syntax error near end of input`, by line.
import { EmbeddedActionsParser, EOF, type IToken, type TokenType } from 'chevrotain';
import * as L from './lexer.js';
import type { Clause, Expr, Program, Stmt, TopLevel, TypeName, StructBody, EnumBody } from './ast.js';
import { builtinTypedefs } from './types.js';

/** A located D compile error (syntax or semantic), with its dt_errtags.h tag. */
export class DCompileError extends Error {
  constructor(
    readonly tag: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'DCompileError';
  }
}

const typeKeywords = new Set(['char', 'short', 'int', 'long', 'signed', 'unsigned', 'void', 'float', 'double', 'string', 'struct', 'union', 'enum', 'const', 'volatile', 'restrict']);

function unescapeD(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { out += c; continue; }
    const n = body[++i] ?? '';
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'e': out += '\x1b'; break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1));
        if (m) { out += String.fromCharCode(parseInt(m[0], 16)); i += m[0].length; } else out += 'x';
        break;
      }
      default:
        if (/[0-7]/.test(n)) {
          const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
          out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
          i += m[0].length - 1;
        } else out += n;
    }
  }
  return out;
}

export function parseIntLiteral(image: string): { value: bigint; unsigned: boolean; long: boolean } {
  const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)$/.exec(image);
  if (!m) return { value: 0n, unsigned: false, long: false };
  let digits = m[1]!;
  let value: bigint;
  if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  digits = m[2]!.toLowerCase();
  return { value, unsigned: digits.includes('u'), long: digits.includes('l') };
}

class DParser extends EmbeddedActionsParser {
  typedefNames = new Set<string>(builtinTypedefs().keys());
  clauseCount = 0;

  constructor() {
    super(L.allTokens, { maxLookahead: 1, recoveryEnabled: false, skipValidations: true });
    this.performSelfAnalysis();
  }

  private isTypeStart(t: IToken): boolean {
    if (t.tokenType === L.Identifier) return this.typedefNames.has(t.image);
    const name = t.tokenType.name.replace(/^(TOP)?KW_/, '');
    return t.tokenType.name !== name && typeKeywords.has(name);
  }

  // program = (declaration | clause)* EOF
  program = this.RULE('program', (): Program => {
    const items: TopLevel[] = [];
    this.MANY(() => {
      this.OR([
        { GATE: () => this.LA(1).tokenType === L.Semi, ALT: () => { this.CONSUME(L.Semi); } },
        { GATE: () => this.LA(1).tokenType.name.startsWith('TOPKW_'), ALT: () => { const d = this.SUBRULE(this.declaration); this.ACTION(() => items.push(d)); } },
        { ALT: () => { const c = this.SUBRULE(this.clause); this.ACTION(() => items.push(c)); } },
      ]);
    });
    return { items, clauses: items.filter((i): i is Clause => i.k === 'clause') };
  });

  // clause = pspec ("," pspec)* ["/" expression "/"] ["{" statements "}"]
  clause = this.RULE('clause', (): Clause => {
    const descs: { text: string; line: number }[] = [];
    const first = this.CONSUME(L.PSpec);
    descs.push({ text: first.image, line: first.startLine ?? 1 });
    this.MANY(() => {
      this.CONSUME(L.Comma);
      const t = this.CONSUME2(L.PSpec);
      descs.push({ text: t.image, line: t.startLine ?? 1 });
    });
    let pred: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(L.PredOpen);
      pred = this.SUBRULE(this.expression);
      this.CONSUME(L.PredClose);
    });
    let body: Stmt[] = [];
    let hasBody = false;
    this.OPTION2(() => {
      this.CONSUME(L.LBrace);
      body = this.SUBRULE(this.statements);
      this.CONSUME(L.RBrace);
      hasBody = true;
    });
    return this.ACTION(() => {
      if (!hasBody && pred) throw new DCompileError('D_SYNTAX', this.LA(1).startLine ?? 1, this.nearMessage(this.LA(1)));
      return { k: 'clause', descs, pred, body, line: first.startLine ?? 1, index: this.clauseCount++, bare: !hasBody } as Clause;
    });
  });

  // statements = statement* [expression]   (the last statement may omit its ';')
  statements = this.RULE('statements', (): Stmt[] => {
    const out: Stmt[] = [];
    this.MANY(() => {
      const s = this.SUBRULE(this.statement);
      this.ACTION(() => out.push(s));
    });
    return out;
  });

  // statement = ";" | "{" statements "}" | "if" "(" expression ")" statement ["else" statement]
  //           | expression (";" | before "}")
  statement = this.RULE('statement', (): Stmt => {
    return this.OR([
      { ALT: () => { const t = this.CONSUME(L.Semi); return { k: 'empty', line: t.startLine ?? 1 } as Stmt; } },
      {
        ALT: () => {
          const t = this.CONSUME(L.LBrace);
          const body = this.SUBRULE(this.statements);
          this.CONSUME(L.RBrace);
          return { k: 'block', body, line: t.startLine ?? 1 } as Stmt;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.if);
          this.CONSUME(L.LParen);
          const cond = this.SUBRULE2(this.expression);
          this.CONSUME(L.RParen);
          const then = this.SUBRULE2(this.statement);
          let els: Stmt | undefined;
          this.OPTION(() => {
            this.CONSUME(L.kw.else);
            els = this.SUBRULE3(this.statement);
          });
          return this.ACTION(() => ({
            k: 'if', cond, line: t.startLine ?? 1,
            then: then.k === 'block' ? then.body : [then],
            else: els === undefined ? undefined : els.k === 'block' ? els.body : [els],
          }) as Stmt);
        },
      },
      {
        ALT: () => {
          const e = this.SUBRULE(this.expression);
          this.OR2([
            { ALT: () => { this.CONSUME2(L.Semi); } },
            { GATE: () => this.LA(1).tokenType === L.RBrace, ALT: () => { /* final statement */ } },
          ]);
          return this.ACTION(() => ({ k: 'expr', expr: e, line: e.line }) as Stmt);
        },
      },
    ]);
  });

  // declaration = inline | typedef | [self|this] type declarators ";"
  declaration = this.RULE('declaration', (): TopLevel => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.inline);
          const tn = this.SUBRULE(this.typeSpec);
          let ptr = 0;
          this.MANY(() => { this.CONSUME(L.Star); ptr++; });
          const name = this.CONSUME(L.Identifier);
          this.CONSUME(L.Assign);
          const value = this.SUBRULE(this.assignment);
          this.CONSUME(L.Semi);
          return { k: 'inline', typeName: tn, ptr, name: name.image, value, line: t.startLine ?? 1 } as TopLevel;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.typedef);
          const tn = this.SUBRULE2(this.typeSpec);
          const ds = this.SUBRULE(this.declarators);
          this.CONSUME2(L.Semi);
          this.ACTION(() => { for (const d of ds) this.typedefNames.add(d.name); });
          return { k: 'typedef', typeName: tn, declarators: ds, line: t.startLine ?? 1 } as TopLevel;
        },
      },
      {
        ALT: () => {
          let storage: 'global' | 'self' | 'this' = 'global';
          let line = this.LA(1).startLine ?? 1;
          this.OPTION(() => {
            this.OR2([
              { ALT: () => { this.CONSUME(L.kw.self); storage = 'self'; } },
              { ALT: () => { this.CONSUME(L.kw.this); storage = 'this'; } },
            ]);
          });
          const tn = this.SUBRULE3(this.typeSpec);
          let ds: { name: string; ptr: number; dims?: Expr[]; assocKeys?: TypeName[]; line: number }[] = [];
          this.OPTION2(() => { ds = this.SUBRULE2(this.declarators); });
          this.CONSUME3(L.Semi);
          return this.ACTION(() => {
            if (ds.length === 0) return { k: 'typedecl', typeName: tn, line } as TopLevel;
            line = ds[0]!.line;
            return { k: 'decl', storage, typeName: tn, declarators: ds, line } as TopLevel;
          });
        },
      },
    ]);
  });

  // declarators = declarator ("," declarator)*;  declarator = "*"* ident ("[" (types | expr)? "]")*
  declarators = this.RULE('declarators', () => {
    const out: { name: string; ptr: number; dims?: Expr[]; assocKeys?: TypeName[]; line: number }[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: L.Comma,
      DEF: () => {
        let ptr = 0;
        this.MANY(() => { this.CONSUME(L.Star); ptr++; });
        const name = this.CONSUME(L.Identifier);
        const d: { name: string; ptr: number; dims?: Expr[]; assocKeys?: TypeName[]; line: number } = { name: name.image, ptr, line: name.startLine ?? 1 };
        this.MANY2(() => {
          this.CONSUME(L.LBracket);
          this.OR([
            {
              GATE: () => this.isTypeStart(this.LA(1)),
              ALT: () => {
                const keys: TypeName[] = [];
                this.AT_LEAST_ONE_SEP2({ SEP: L.Comma, DEF: () => { const k = this.SUBRULE(this.typeName); this.ACTION(() => keys.push(k)); } });
                this.ACTION(() => { d.assocKeys = keys; });
              },
            },
            {
              ALT: () => {
                const e = this.SUBRULE(this.conditional);
                this.ACTION(() => { (d.dims ??= []).push(e); });
              },
            },
          ]);
          this.CONSUME(L.RBracket);
        });
        this.ACTION(() => out.push(d));
      },
    });
    return out;
  });

  // typeSpec = (qualifier | base word | struct/union/enum [tag] [body] | typedef-name)+
  typeSpec = this.RULE('typeSpec', (): TypeName => {
    const spec: string[] = [];
    let body: StructBody | EnumBody | undefined;
    this.AT_LEAST_ONE({
      GATE: () => this.isTypeStart(this.LA(1)) && !(this.LA(1).tokenType === L.Identifier && spec.some((w) => !['const', 'volatile', 'restrict'].includes(w))),
      DEF: () => {
        this.OR([
          {
            GATE: () => ['struct', 'union'].includes(this.LA(1).image),
            ALT: () => {
              const k = this.CONSUME(L.Keyword);
              spec.push(k.image);
              this.OPTION(() => { spec.push(this.CONSUME(L.Identifier).image); });
              this.OPTION2(() => {
                this.CONSUME(L.LBrace);
                const members: StructBody['members'] = [];
                this.MANY(() => {
                  const mt = this.SUBRULE(this.typeSpec);
                  const ds = this.SUBRULE(this.declarators);
                  this.CONSUME(L.Semi);
                  this.ACTION(() => {
                    for (const d of ds) members.push({ type: { ...mt, ptr: mt.ptr + d.ptr, dims: d.dims }, name: d.name, line: d.line });
                  });
                });
                this.CONSUME(L.RBrace);
                body = { kind: 'struct', members };
              });
            },
          },
          {
            GATE: () => this.LA(1).image === 'enum',
            ALT: () => {
              this.CONSUME2(L.Keyword);
              spec.push('enum');
              this.OPTION3(() => { spec.push(this.CONSUME2(L.Identifier).image); });
              this.OPTION4(() => {
                this.CONSUME2(L.LBrace);
                const values: EnumBody['values'] = [];
                this.AT_LEAST_ONE_SEP({
                  SEP: L.Comma,
                  DEF: () => {
                    const n = this.CONSUME3(L.Identifier);
                    let value: Expr | undefined;
                    this.OPTION5(() => { this.CONSUME(L.Assign); value = this.SUBRULE(this.conditional); });
                    this.ACTION(() => values.push({ name: n.image, value, line: n.startLine ?? 1 }));
                  },
                });
                this.CONSUME2(L.RBrace);
                body = { kind: 'enum', values };
              });
            },
          },
          { ALT: () => { spec.push(this.CONSUME3(L.Keyword).image); } },
          { ALT: () => { spec.push(this.CONSUME4(L.Identifier).image); } },
        ]);
      },
    });
    return { spec, body, ptr: 0 };
  });

  // typeName = typeSpec "*"*
  typeName = this.RULE('typeName', (): TypeName => {
    const t = this.SUBRULE(this.typeSpec);
    let ptr = 0;
    this.MANY(() => { this.CONSUME(L.Star); ptr++; });
    return this.ACTION(() => ({ ...t, ptr }));
  });

  // expression = assignment ("," assignment)*
  expression = this.RULE('expression', (): Expr => {
    let e = this.SUBRULE(this.assignment);
    this.MANY(() => {
      this.CONSUME(L.Comma);
      const r = this.SUBRULE2(this.assignment);
      this.ACTION(() => { e = { k: 'comma', l: e, r, line: e.line }; });
    });
    return e;
  });

  // assignment = conditional [assign-op assignment]
  assignment = this.RULE('assignment', (): Expr => {
    const l = this.SUBRULE(this.conditional);
    let out = l;
    this.OPTION(() => {
      const op = this.OR([
        { ALT: () => this.CONSUME(L.Assign) }, { ALT: () => this.CONSUME(L.AddAssign) }, { ALT: () => this.CONSUME(L.SubAssign) },
        { ALT: () => this.CONSUME(L.MulAssign) }, { ALT: () => this.CONSUME(L.DivAssign) }, { ALT: () => this.CONSUME(L.ModAssign) },
        { ALT: () => this.CONSUME(L.AndAssign) }, { ALT: () => this.CONSUME(L.OrAssign) }, { ALT: () => this.CONSUME(L.XorAssign) },
        { ALT: () => this.CONSUME(L.ShlAssign) }, { ALT: () => this.CONSUME(L.ShrAssign) },
      ]);
      const r = this.SUBRULE(this.assignment);
      this.ACTION(() => { out = { k: 'assign', op: op.image, l, r, line: l.line }; });
    });
    return out;
  });

  // conditional = logicalOr ["?" expression ":" conditional]
  conditional = this.RULE('conditional', (): Expr => {
    const c = this.SUBRULE(this.logicalOr);
    let out = c;
    this.OPTION(() => {
      this.CONSUME(L.Question);
      const t = this.SUBRULE(this.expression);
      this.CONSUME(L.Colon);
      const f = this.SUBRULE(this.conditional);
      this.ACTION(() => { out = { k: 'cond', c, t, f, line: c.line }; });
    });
    return out;
  });

  private binaryLevel(name: string, ops: TokenType[], next: () => Expr) {
    return this.RULE(name, (): Expr => {
      let e = next();
      this.MANY(() => {
        const op = this.OR(ops.map((t) => ({ ALT: () => this.CONSUME(t) })));
        const r = next();
        this.ACTION(() => { e = { k: 'binary', op: op.image, l: e, r, line: e.line }; });
      });
      return e;
    });
  }

  // multiplicative = cast (("*" | "/" | "%") cast)*   ... up to  logicalOr = logicalXor ("||" logicalXor)*
  multiplicative: () => Expr = this.binaryLevel('multiplicative', [L.Star, L.Div, L.Mod], () => this.SUBRULE(this.cast));
  additive: () => Expr = this.binaryLevel('additive', [L.Plus, L.Minus], () => this.SUBRULE(this.multiplicative));
  shift: () => Expr = this.binaryLevel('shift', [L.Shl, L.Shr], () => this.SUBRULE(this.additive));
  relational: () => Expr = this.binaryLevel('relational', [L.Le, L.Ge, L.Lt, L.Gt], () => this.SUBRULE(this.shift));
  equality: () => Expr = this.binaryLevel('equality', [L.EqEq, L.Ne], () => this.SUBRULE(this.relational));
  bitAnd: () => Expr = this.binaryLevel('bitAnd', [L.Amp], () => this.SUBRULE(this.equality));
  bitXor: () => Expr = this.binaryLevel('bitXor', [L.Caret], () => this.SUBRULE(this.bitAnd));
  bitOr: () => Expr = this.binaryLevel('bitOr', [L.Pipe], () => this.SUBRULE(this.bitXor));
  logicalAnd: () => Expr = this.binaryLevel('logicalAnd', [L.AndAnd], () => this.SUBRULE(this.bitOr));
  logicalXor: () => Expr = this.binaryLevel('logicalXor', [L.XorXor], () => this.SUBRULE(this.logicalAnd));
  logicalOr: () => Expr = this.binaryLevel('logicalOr', [L.OrOr], () => this.SUBRULE(this.logicalXor));

  // cast = "(" typeName ")" cast | unary
  cast: () => Expr = this.RULE('cast', (): Expr => {
    return this.OR([
      {
        GATE: () => this.LA(1).tokenType === L.LParen && this.isTypeStart(this.LA(2)),
        ALT: () => {
          const p = this.CONSUME(L.LParen);
          const to = this.SUBRULE(this.typeName);
          this.CONSUME(L.RParen);
          const expr = this.SUBRULE(this.cast);
          return { k: 'cast', to, expr, line: p.startLine ?? 1 } as Expr;
        },
      },
      { ALT: () => this.SUBRULE(this.unary) },
    ]);
  });

  // unary = ("++" | "--") unary | ("-" | "+" | "!" | "~" | "*" | "&") cast | sizeof | offsetof | stringof | postfix
  unary: () => Expr = this.RULE('unary', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(L.Inc) }, { ALT: () => this.CONSUME(L.Dec) }]);
          const e = this.SUBRULE(this.unary);
          return { k: 'unary', op: op.image as '++', expr: e, line: op.startLine ?? 1 } as Expr;
        },
      },
      {
        ALT: () => {
          const op = this.OR3([
            { ALT: () => this.CONSUME(L.Minus) }, { ALT: () => this.CONSUME(L.Plus) }, { ALT: () => this.CONSUME(L.Bang) },
            { ALT: () => this.CONSUME(L.Tilde) }, { ALT: () => this.CONSUME(L.Star) }, { ALT: () => this.CONSUME(L.Amp) },
          ]);
          const e = this.SUBRULE(this.cast);
          return { k: 'unary', op: op.image as '-', expr: e, line: op.startLine ?? 1 } as Expr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.sizeof);
          return this.OR4([
            {
              GATE: () => this.LA(1).tokenType === L.LParen && this.isTypeStart(this.LA(2)),
              ALT: () => {
                this.CONSUME(L.LParen);
                const to = this.SUBRULE(this.typeName);
                this.CONSUME(L.RParen);
                return { k: 'sizeof', to, line: t.startLine ?? 1 } as Expr;
              },
            },
            { ALT: () => { const e = this.SUBRULE2(this.unary); return { k: 'sizeof', expr: e, line: t.startLine ?? 1 } as Expr; } },
          ]);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.offsetof);
          this.CONSUME2(L.LParen);
          const to = this.SUBRULE2(this.typeName);
          this.CONSUME(L.Comma);
          const m = this.CONSUME(L.Identifier);
          this.CONSUME2(L.RParen);
          return { k: 'offsetof', to, member: m.image, line: t.startLine ?? 1 } as Expr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.stringof);
          const e = this.SUBRULE3(this.unary);
          return { k: 'stringof', expr: e, line: t.startLine ?? 1 } as Expr;
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  // postfix = primary ("[" args "]" | "(" [args] ")" | "." ident | "->" ident | "++" | "--")*
  postfix: () => Expr = this.RULE('postfix', (): Expr => {
    let e = this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(L.LBracket);
            const args = this.SUBRULE(this.argList);
            this.CONSUME(L.RBracket);
            this.ACTION(() => { e = { k: 'index', base: e, args, line: e.line }; });
          },
        },
        {
          ALT: () => {
            this.CONSUME(L.LParen);
            let args: Expr[] = [];
            this.OPTION(() => { args = this.SUBRULE2(this.argList); });
            this.CONSUME(L.RParen);
            this.ACTION(() => {
              if (e.k !== 'ident') throw new DCompileError('D_SYNTAX', e.line, 'syntax error near "("');
              e = { k: 'call', fn: e.name, args, line: e.line };
            });
          },
        },
        {
          ALT: () => {
            const arrow = this.OR2([{ ALT: () => this.CONSUME(L.Dot) }, { ALT: () => this.CONSUME(L.Arrow) }]);
            const name = this.OR3([{ ALT: () => this.CONSUME(L.Identifier) }, { ALT: () => this.CONSUME(L.Keyword) }]);
            this.ACTION(() => { e = { k: 'member', base: e, name: name.image, arrow: arrow.image === '->', line: e.line }; });
          },
        },
        {
          ALT: () => {
            const op = this.OR4([{ ALT: () => this.CONSUME(L.Inc) }, { ALT: () => this.CONSUME(L.Dec) }]);
            this.ACTION(() => { e = { k: 'postfix', op: op.image as '++', expr: e, line: e.line }; });
          },
        },
      ]);
    });
    return e;
  });

  argList = this.RULE('argList', (): Expr[] => {
    const out: Expr[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => { const a = this.SUBRULE(this.assignment); this.ACTION(() => out.push(a)); } });
    return out;
  });

  // primary = literal | ident | macro | @agg | self->x | this->x | `ident | "(" expression ")"
  primary: () => Expr = this.RULE('primary', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(L.IntLiteral);
          return this.ACTION(() => ({ k: 'int', ...parseIntLiteral(t.image), text: t.image, line: t.startLine ?? 1 }) as Expr);
        },
      },
      { ALT: () => { const t = this.CONSUME(L.FloatLiteral); return { k: 'float', text: t.image, line: t.startLine ?? 1 } as Expr; } },
      {
        ALT: () => {
          const t = this.CONSUME(L.StringLiteral);
          return this.ACTION(() => ({ k: 'str', value: unescapeD(t.image.slice(1, -1)), line: t.startLine ?? 1 }) as Expr);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.CharLiteral);
          return this.ACTION(() => {
            const s = unescapeD(t.image.slice(1, -1));
            let v = 0n;
            for (const ch of s) v = (v << 8n) | BigInt(ch.charCodeAt(0) & 0xff);
            if (s.length === 1) v = BigInt.asIntN(8, v);
            return { k: 'int', value: v, unsigned: false, long: false, text: t.image, line: t.startLine ?? 1 } as Expr;
          });
        },
      },
      { ALT: () => { const t = this.CONSUME(L.MacroArg); return { k: 'macro', index: Number(t.image.slice(1)), str: false, line: t.startLine ?? 1 } as Expr; } },
      { ALT: () => { const t = this.CONSUME(L.MacroStrArg); return { k: 'macro', index: Number(t.image.slice(2)), str: true, line: t.startLine ?? 1 } as Expr; } },
      { ALT: () => { const t = this.CONSUME(L.MacroVar); return { k: 'macrovar', name: t.image.slice(1), line: t.startLine ?? 1 } as Expr; } },
      { ALT: () => { const t = this.CONSUME(L.AggName); return { k: 'agg', name: t.image.slice(1), line: t.startLine ?? 1 } as Expr; } },
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.self);
          this.CONSUME(L.Arrow);
          const n = this.CONSUME(L.Identifier);
          return { k: 'self', name: n.image, line: t.startLine ?? 1 } as Expr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.kw.this);
          this.CONSUME2(L.Arrow);
          const n = this.CONSUME2(L.Identifier);
          return { k: 'this', name: n.image, line: t.startLine ?? 1 } as Expr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.Backquote);
          const n = this.CONSUME3(L.Identifier);
          return { k: 'ident', name: n.image, scope: 'kernel', line: t.startLine ?? 1 } as Expr;
        },
      },
      { ALT: () => { const t = this.CONSUME4(L.Identifier); return { k: 'ident', name: t.image, line: t.startLine ?? 1 } as Expr; } },
      {
        ALT: () => {
          this.CONSUME(L.LParen);
          const e = this.SUBRULE(this.expression);
          this.CONSUME(L.RParen);
          return e;
        },
      },
    ]);
  });

  nearMessage(t: IToken): string {
    if (t.tokenType === EOF) return 'syntax error near end of input';
    return `syntax error near "${t.image}"`;
  }
}

let shared: DParser | undefined;

/**
 * Parses D program text. Throws DCompileError (tag D_SYNTAX and friends) on the first error, with
 * the line dtrace would report.
 */
export function parseD(text: string): { program: Program; pragmas: { words: string[]; line: number }[] } {
  const lx = L.lexD(text);
  if (lx.error) throw new DCompileError(lx.error.tag, lx.error.line, lx.error.message);
  const parser = (shared ??= new DParser());
  parser.typedefNames = new Set(builtinTypedefs().keys());
  parser.clauseCount = 0;
  parser.input = lx.tokens;
  const program = parser.program();
  if (parser.errors.length > 0) {
    const err = parser.errors[0]!;
    const t = err.token;
    const eofLine = text.split('\n').length;
    if (t.tokenType === EOF || t.image === undefined || Number.isNaN(t.startOffset)) {
      throw new DCompileError('D_SYNTAX', eofLine, 'syntax error near end of input');
    }
    throw new DCompileError('D_SYNTAX', t.startLine ?? 1, parser.nearMessage(t));
  }
  const pragmas: { words: string[]; line: number }[] = [];
  for (const c of lx.controls) {
    const words = c.image.replace(/^\s*#\s*/, '').split(/\s+/).filter(Boolean);
    pragmas.push({ words, line: c.startLine ?? 1 });
  }
  return { program, pragmas };
}

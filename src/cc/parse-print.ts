// Renders the C AST as compact text for tests and debugging: expressions fully parenthesized,
// declarators read out in English as cdecl does ("fp: pointer to function(int) returning
// pointer to array[3] of int"), statements and declarations one per line.
import type { DeclSpecs, Declarator, Derivation, Designator, Expr, ExternalDecl, Initializer, Stmt, TypeName, Declaration, StaticAssert, BaseTypeSyntax } from './ast.js';

function bytesToString(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else if (c === 10) s += '\\n';
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s;
}

export function baseToString(b: BaseTypeSyntax): string {
  switch (b.kind) {
    case 'keywords':
      return b.words.join(' ');
    case 'typedefName':
      return b.name;
    case 'struct': {
      const kw = b.union ? 'union' : 'struct';
      const members = b.members ? ` { ${b.members.map((m) => `${m.declarators.length === 0 ? specsToString(m.specs) : m.declarators.map((d) => `${declaratorToString(m.specs, d.declarator)}${d.bitWidth ? ` : ${exprToString(d.bitWidth)}` : ''}`).join(', ')}; `).join('')}}` : '';
      return `${kw}${b.tag ? ' ' + b.tag : ''}${members}`;
    }
    case 'enum':
      return `enum${b.tag ? ' ' + b.tag : ''}${b.enumerators ? ` { ${b.enumerators.map((e) => (e.value ? `${e.name} = ${exprToString(e.value)}` : e.name)).join(', ')} }` : ''}`;
    case 'typeof':
      return `typeof(${b.expr ? exprToString(b.expr) : typeNameToString(b.type!)})`;
    case 'builtin_va_list':
      return '__builtin_va_list';
  }
}

export function specsToString(s: DeclSpecs): string {
  const parts: string[] = [];
  if (s.storage) parts.push(s.storage);
  if (s.inline) parts.push('inline');
  if (s.noreturn) parts.push('_Noreturn');
  if (s.const) parts.push('const');
  if (s.volatile) parts.push('volatile');
  if (s.restrict) parts.push('restrict');
  parts.push(baseToString(s.base));
  for (const a of s.attributes) parts.push(`__attribute__((${a.name}${a.args.length ? `(${a.args.map(exprToString).join(', ')})` : ''}))`);
  return parts.join(' ');
}

function derivationToString(d: Derivation): string {
  switch (d.kind) {
    case 'pointer':
      return `${d.const ? 'const ' : ''}${d.volatile ? 'volatile ' : ''}${d.restrict ? 'restrict ' : ''}pointer to`;
    case 'array':
      return `array[${d.static ? 'static ' : ''}${d.size ? exprToString(d.size) : ''}] of`;
    case 'function': {
      const params = d.params.map((p) => declaratorToString(p.specs, p.declarator));
      if (d.variadic) params.push('...');
      return `function(${d.oldStyle && d.params.length === 0 ? '?' : params.join(', ')}) returning`;
    }
  }
}

/** `name: derivations base`, e.g. `a: array[3] of pointer to int`. */
export function declaratorToString(specs: DeclSpecs, d: Declarator): string {
  const words = d.derived.map(derivationToString);
  const type = [...words, specsToString(specs)].join(' ');
  return d.name !== undefined ? `${d.name}: ${type}` : type;
}

export function typeNameToString(t: TypeName): string {
  return declaratorToString(t.specs, t.declarator);
}

function designatorToString(d: Designator): string {
  if (d.kind === 'field') return `.${d.name}`;
  return `[${exprToString(d.index)}${d.last ? ` ... ${exprToString(d.last)}` : ''}]`;
}

export function initializerToString(i: Initializer): string {
  if (i.kind === 'expr') return exprToString(i.expr);
  return `{${i.items.map((it) => `${it.designators.map(designatorToString).join('')}${it.designators.length ? '=' : ''}${initializerToString(it.init)}`).join(', ')}}`;
}

export function exprToString(e: Expr): string {
  switch (e.kind) {
    case 'int':
    case 'float':
      return e.text;
    case 'char':
      return `${e.prefix}'${e.value}'`;
    case 'string':
      return `${e.prefix}"${bytesToString(e.value)}"`;
    case 'ident':
      return e.name;
    case 'binary':
      return `(${exprToString(e.left)} ${e.op} ${exprToString(e.right)})`;
    case 'assign':
      return `(${exprToString(e.target)} ${e.op} ${exprToString(e.value)})`;
    case 'unary':
      return `(${e.op}${exprToString(e.operand)})`;
    case 'preinc':
      return `(++${exprToString(e.operand)})`;
    case 'predec':
      return `(--${exprToString(e.operand)})`;
    case 'postinc':
      return `(${exprToString(e.operand)}++)`;
    case 'postdec':
      return `(${exprToString(e.operand)}--)`;
    case 'cond':
      return `(${exprToString(e.cond)} ? ${e.then === e.cond ? '' : exprToString(e.then)} : ${exprToString(e.else)})`;
    case 'comma':
      return `(${exprToString(e.left)}, ${exprToString(e.right)})`;
    case 'call':
      return `${exprToString(e.callee)}(${e.args.map(exprToString).join(', ')})`;
    case 'index':
      return `${exprToString(e.base)}[${exprToString(e.index)}]`;
    case 'member':
      return `${exprToString(e.base)}${e.arrow ? '->' : '.'}${e.name}`;
    case 'cast':
      return `((${typeNameToString(e.type)}) ${exprToString(e.operand)})`;
    case 'sizeof_expr':
      return `sizeof(${exprToString(e.operand)})`;
    case 'sizeof_type':
      return `sizeof(${typeNameToString(e.type)})`;
    case 'alignof':
      return `_Alignof(${typeNameToString(e.type)})`;
    case 'compound_literal':
      return `(${typeNameToString(e.type)})${initializerToString(e.init)}`;
    case 'stmt_expr':
      return `(${stmtToString(e.body)})`;
    case 'va_arg':
      return `va_arg(${exprToString(e.ap)}, ${typeNameToString(e.type)})`;
    case 'offsetof':
      return `offsetof(${typeNameToString(e.type)}, ${e.path.map((p, i) => (typeof p === 'string' ? (i ? '.' : '') + p : `[${exprToString(p)}]`)).join('')})`;
    case 'generic':
      return `_Generic(${exprToString(e.control)}, ${e.assocs.map((a) => `${a.type ? typeNameToString(a.type) : 'default'}: ${exprToString(a.expr)}`).join(', ')})`;
  }
}

export function declarationToString(d: Declaration | StaticAssert): string {
  if (d.kind === 'static_assert') return `_Static_assert(${exprToString(d.cond)}${d.message !== undefined ? `, "${d.message}"` : ''});`;
  if (d.declarators.length === 0) return `${specsToString(d.specs)};`;
  return (
    d.declarators
      .map((i) => `${declaratorToString(d.specs, i.declarator)}${i.asmLabel !== undefined ? ` asm("${i.asmLabel}")` : ''}${i.declarator.attributes.length ? ` __attribute__((${i.declarator.attributes.map((a) => a.name).join(', ')}))` : ''}${i.init ? ` = ${initializerToString(i.init)}` : ''}`)
      .join('; ') + ';'
  );
}

export function stmtToString(s: Stmt | Declaration | StaticAssert): string {
  switch (s.kind) {
    case 'declaration':
    case 'static_assert':
      return declarationToString(s);
    case 'compound':
      return `{ ${s.items.map(stmtToString).join(' ')} }`.replace('{  }', '{ }');
    case 'expr':
      return s.expr ? `${exprToString(s.expr)};` : ';';
    case 'if':
      return `if (${exprToString(s.cond)}) ${stmtToString(s.then)}${s.else ? ` else ${stmtToString(s.else)}` : ''}`;
    case 'while':
      return `while (${exprToString(s.cond)}) ${stmtToString(s.body)}`;
    case 'do':
      return `do ${stmtToString(s.body)} while (${exprToString(s.cond)});`;
    case 'for': {
      const init = s.init ? (s.init.kind === 'declaration' ? declarationToString(s.init) : `${exprToString(s.init)};`) : ';';
      return `for (${init} ${s.cond ? exprToString(s.cond) : ''}; ${s.step ? exprToString(s.step) : ''}) ${stmtToString(s.body)}`;
    }
    case 'switch':
      return `switch (${exprToString(s.cond)}) ${stmtToString(s.body)}`;
    case 'case':
      return `case ${exprToString(s.value)}${s.last ? ` ... ${exprToString(s.last)}` : ''}: ${stmtToString(s.body)}`;
    case 'default':
      return `default: ${stmtToString(s.body)}`;
    case 'label':
      return `${s.name}: ${stmtToString(s.body)}`;
    case 'goto':
      return `goto ${s.label};`;
    case 'break':
      return 'break;';
    case 'continue':
      return 'continue;';
    case 'return':
      return s.value ? `return ${exprToString(s.value)};` : 'return;';
    case 'asm':
      return `asm("${s.text}");`;
  }
}

export function externalDeclToString(d: ExternalDecl): string {
  if (d.kind === 'function') return `${declaratorToString(d.specs, d.declarator)} ${stmtToString(d.body)}`;
  return declarationToString(d);
}

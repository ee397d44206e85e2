/* sh: ksim's shell, a POSIX-ish subset that covers what tutorials type at a prompt: pipelines,
 * redirections (< > >> N> N>&M), ; && ||, quoting ('...', "...", \), $VAR ${VAR} ${VAR:-WORD}
 * (:= :? :+ % %% # ## ${#VAR}) $? $$ $# $1... $@
 * $(...) `...` $((...)) ~ and pathname patterns (* ? [...]), VAR=value assignments, a PATH search;
 * compound commands: if/elif/else/fi, while, until, for NAME [in WORDS], case WORD in PATTERN) ...;;
 * esac, { LIST; }, ( LIST ), ! PIPELINE, with redirections and in pipelines; NAME() functions
 * (with return [N]); the builtins cd, exit, export, unset, :, true, false, wait, break, continue,
 * shift, read, eval, ., set (-e -x -u, --), local, exec, command, type, test and [. A command line is parsed whole, then run; its words are expanded when
 * each command runs. A command not closed on its line goes on over the next lines (prompt `> `).
 * Syntax errors are worded as dash words them (`sh: 1: Syntax error: "done" unexpected`, status 2).
 * Usage: sh [-exu] [-c COMMAND [NAME [ARG...]] | FILE [ARG...]]; reading commands from a terminal, it prints
 * `root@ksim:~# `. `CMD &` runs in the background ($! is its pid; `wait [PID...]` waits for it).
 * Interactive, it catches SIGINT and SIGQUIT (the commands it runs get the default actions), so ^C
 * ends the command in the foreground (and the loop running it), or the line being typed, and the
 * prompt comes back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <dirent.h>
#include <signal.h>

#define MAXARGS 128
#define MAXREDIR 16

enum { T_WORD, T_PIPE, T_SEMI, T_DSEMI, T_AND, T_OR, T_REDIR, T_BG, T_NL, T_LPAREN, T_RPAREN, T_END };
/* R_HEREDOC: a here-document whose text is expanded; R_HEREDOC_RAW: one whose delimiter was quoted. */
enum { R_IN, R_OUT, R_APPEND, R_DUP, R_HEREDOC, R_HEREDOC_RAW };

struct token { int type; char *text; int fd; int rtype; int assign; int line; int strip; };
struct redir { int fd; int type; char *target; };
struct cmd { char *argv[MAXARGS]; int argc; char *assigns[MAXARGS]; int nassign; struct redir redirs[MAXREDIR]; int nredir; };

static struct token *toks;
static int ntok, tokcap;
static int last_status;
static int interactive;
/* The pid of the last background command ($!), 0 before the first. */
static pid_t last_bg;
static volatile sig_atomic_t got_sigint;
/* The line of the command running, for messages (`sh: 3: [: missing ]`). */
static int cur_line = 1;
/* The positional parameters $1...: posv[0..posc). */
static char **posv;
static int posc;
/* $0: "sh", or the script's name. */
static const char *arg0 = "sh";
/* set -e, set -x, set -u (and sh -e -x -u). */
static int eflag, xflag, uflag;
/* Inside a condition (if, while, until, the left of && ||, ! PIPELINE): set -e does not act. */
static int cond_depth;

/* set -u: a variable that is not set is an error (the shell ends, if not interactive). */
static void unset_error(const char *name) {
  fflush(stdout);
  fprintf(stderr, "%s: %d: %s: parameter not set\n", arg0, cur_line, name);
  if (!interactive) exit(2);
}

static void on_sigint(int sig) { (void)sig; got_sigint = 1; }

/* A child of the shell: the terminal's signals act on it by default again. */
static void default_signals(void) {
  if (!interactive) return;
  signal(SIGINT, SIG_DFL);
  signal(SIGQUIT, SIG_DFL);
}
/* The status of the last $(...) of the command being expanded (a bare assignment's status). */
static int subst_status;

/* ---- a growable string ---- */
struct buf { char *s; int len; int cap; };
static void bput(struct buf *b, char c) {
  if (b->len + 2 > b->cap) { b->cap = b->cap ? b->cap * 2 : 64; b->s = realloc(b->s, b->cap); }
  b->s[b->len++] = c;
  b->s[b->len] = 0;
}
static void bputs(struct buf *b, const char *s) { while (*s) bput(b, *s++); }

static int isname(char c, int first) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

static void run_string(const char *text);

/* The end of a $( ... ) starting at p (at the '('): the matching ')', or NULL. */
static const char *subst_end(const char *p) {
  int depth = 0;
  for (; *p; p++) {
    if (*p == '\\' && p[1]) p++;
    else if (*p == '\'') { p = strchr(p + 1, '\''); if (!p) return NULL; }
    else if (*p == '(') depth++;
    else if (*p == ')') {
      depth--;
      if (depth == 0) return p;
    }
  }
  return NULL;
}

/* $(command): runs command in a child shell and appends its output, less trailing newlines. */
static void command_subst(const char *cmd, int len, struct buf *b) {
  char *text = strndup(cmd, len);
  int pfd[2];
  fflush(stdout);
  if (pipe(pfd) < 0) { perror("sh: pipe"); free(text); return; }
  pid_t pid = fork();
  if (pid == 0) {
    default_signals();
    close(pfd[0]);
    dup2(pfd[1], 1);
    close(pfd[1]);
    run_string(text);
    fflush(stdout);
    _exit(last_status);
  }
  close(pfd[1]);
  char chunk[512];
  long n;
  int start = b->len;
  while ((n = read(pfd[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)) for (long i = 0; i < n; i++) bput(b, chunk[i]);
  close(pfd[0]);
  int st = 0;
  pid_t w = -1;
  if (pid > 0) while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
  if (w > 0) subst_status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
  while (b->len > start && b->s[b->len - 1] == '\n') b->s[--b->len] = 0;
  free(text);
}

/* ---- $(( )) arithmetic, as dash has it: long integers, C's operators but ++ -- and the comma ---- */

static char *expand_word(const char *p, int *quoted, int split);

static const char *ar_p;    /* where the expression is being read */
static const char *ar_text; /* all of it, for messages */
static int ar_err;          /* an error was reported */
static int ar_noeval;       /* inside the branch && || ?: do not take: no assignments, no errors */

static void ar_error(const char *msg) {
  if (ar_err) return;
  ar_err = 1;
  fflush(stdout);
  fprintf(stderr, "%s: %d: arithmetic expression: %s: \"%s\"\n", arg0, cur_line, msg, ar_text);
}

static void ar_ws(void) { while (*ar_p == ' ' || *ar_p == '\t' || *ar_p == '\n') ar_p++; }

/* A variable's value as a number: unset or empty is 0, anything but a number an error. */
static long ar_var(const char *name) {
  const char *v = getenv(name);
  if (!v) return 0;
  const char *s = v;
  while (*s == ' ' || *s == '\t' || *s == '\n') s++;
  if (!*s) return 0;
  char *end;
  long x = strtol(s, &end, 0);
  while (*end == ' ' || *end == '\t' || *end == '\n') end++;
  if (end == s || *end) {
    if (!ar_err && !ar_noeval) { ar_err = 1; fflush(stdout); fprintf(stderr, "%s: %d: Illegal number: %s\n", arg0, cur_line, v); }
    return 0;
  }
  return x;
}

/* The binary operators, longest first, with their precedence (higher binds tighter). */
static const struct { const char *op; int prec; } ar_ops[] = {
  { "||", 1 }, { "&&", 2 }, { "==", 6 }, { "!=", 6 }, { "<=", 7 }, { ">=", 7 }, { "<<", 8 }, { ">>", 8 },
  { "|", 3 }, { "^", 4 }, { "&", 5 }, { "<", 7 }, { ">", 7 }, { "+", 9 }, { "-", 9 }, { "*", 10 }, { "/", 10 }, { "%", 10 },
};

static long ar_apply(const char *op, long l, long r) {
  switch (op[0]) {
  case '|': return op[1] ? (l || r) : (l | r);
  case '&': return op[1] ? (l && r) : (l & r);
  case '^': return l ^ r;
  case '=': return l == r;
  case '!': return l != r;
  case '<': return op[1] == '=' ? l <= r : op[1] == '<' ? (long)((unsigned long)l << (r & 63)) : l < r;
  case '>': return op[1] == '=' ? l >= r : op[1] == '>' ? l >> (r & 63) : l > r;
  case '+': return l + r;
  case '-': return l - r;
  case '*': return l * r;
  }
  if (r == 0) {
    if (!ar_noeval) ar_error("division by zero");
    return 0;
  }
  return op[0] == '/' ? l / r : l % r;
}

static long ar_expr(void);

static long ar_unary(void) {
  ar_ws();
  char c = *ar_p;
  if (c == '+' || c == '-') {
    if (ar_p[1] == c) { ar_error("expecting primary"); return 0; }
    ar_p++;
    long v = ar_unary();
    return c == '-' ? -v : v;
  }
  if (c == '!') { ar_p++; return !ar_unary(); }
  if (c == '~') { ar_p++; return ~ar_unary(); }
  if (c == '(') {
    ar_p++;
    long v = ar_expr();
    ar_ws();
    if (*ar_p != ')') { ar_error("expecting ')'"); return 0; }
    ar_p++;
    return v;
  }
  if (c >= '0' && c <= '9') {
    char *end;
    long v = strtol(ar_p, &end, 0);
    ar_p = end;
    if (isname(*ar_p, 0)) ar_error("expecting EOF");
    return v;
  }
  if (isname(c, 1)) {
    char name[256];
    int n = 0;
    while (isname(*ar_p, 0)) { if (n < 255) name[n++] = *ar_p; ar_p++; }
    name[n] = 0;
    ar_ws();
    /* NAME = EXPR and NAME OP= EXPR assign (right to left) and give the value. */
    const char *ops[] = { "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "=", NULL };
    for (int i = 0; ops[i]; i++) {
      int len = (int)strlen(ops[i]);
      if (strncmp(ar_p, ops[i], len) || (len == 1 && ar_p[1] == '=')) continue;
      ar_p += len;
      long r = ar_expr();
      long v = r;
      if (len > 1) {
        char op[3] = { ops[i][0], len == 3 ? ops[i][1] : 0, 0 };
        v = ar_apply(op, ar_var(name), r);
      }
      if (!ar_noeval && !ar_err) {
        char num[32];
        snprintf(num, sizeof num, "%ld", v);
        setenv(name, num, 1);
      }
      return v;
    }
    return ar_var(name);
  }
  ar_error("expecting primary");
  return 0;
}

static long ar_binary(int minprec) {
  long l = ar_unary();
  for (;;) {
    ar_ws();
    int k = -1;
    for (int i = 0; i < (int)(sizeof ar_ops / sizeof ar_ops[0]); i++) {
      int len = (int)strlen(ar_ops[i].op);
      if (strncmp(ar_p, ar_ops[i].op, len) == 0) { k = i; break; }
    }
    if (k < 0 || ar_ops[k].prec < minprec || ar_err) return l;
    const char *op = ar_ops[k].op;
    ar_p += strlen(op);
    int skip = (op[0] == '&' && op[1] && !l) || (op[0] == '|' && op[1] && l);
    if (skip) ar_noeval++;
    long r = ar_binary(ar_ops[k].prec + 1);
    if (skip) ar_noeval--;
    l = ar_apply(op, l, r);
  }
}

/* COND ? A : B, the lowest level. */
static long ar_expr(void) {
  long c = ar_binary(1);
  ar_ws();
  if (*ar_p != '?') return c;
  ar_p++;
  if (!c) ar_noeval++;
  long a = ar_expr();
  if (!c) ar_noeval--;
  ar_ws();
  if (*ar_p != ':') { ar_error("expecting ':'"); return 0; }
  ar_p++;
  if (c) ar_noeval++;
  long b = ar_expr();
  if (c) ar_noeval--;
  return c ? a : b;
}

/* $((EXPR)): EXPR's $ expansions first, then its value in decimal. An error ends a shell that is
 * not interactive with status 2, as dash does. */
static void arith_subst(const char *expr, int len, struct buf *b) {
  char *raw = strndup(expr, len);
  int q;
  char *text = expand_word(raw, &q, 0);
  free(raw);
  ar_text = text;
  ar_p = text;
  ar_err = 0;
  ar_noeval = 0;
  long v = ar_expr();
  ar_ws();
  if (*ar_p && !ar_err) ar_error("expecting EOF");
  free(text);
  if (ar_err) {
    if (!interactive) { fflush(stdout); exit(2); }
    subst_status = 2;
    return;
  }
  char num[32];
  snprintf(num, sizeof num, "%ld", v);
  bputs(b, num);
}

/* The } that closes the ${ whose { is at p (quotes and nested ${ } skipped), or NULL. */
static const char *brace_end(const char *p) {
  int depth = 0;
  for (; *p; p++) {
    if (*p == '\\' && p[1]) p++;
    else if (*p == '\'' || *p == '"') {
      char qc = *p++;
      while (*p && *p != qc) { if (qc == '"' && *p == '\\' && p[1]) p++; p++; }
      if (!*p) return NULL;
    } else if (*p == '{') depth++;
    else if (*p == '}' && --depth == 0) return p;
  }
  return NULL;
}

static int fnmatch_simple(const char *p, const char *s);

/* The value of parameter name (a variable, a digit, # ? $ ! @ *), malloc'd; NULL when unset. */
static char *param_value(const char *name) {
  char num[32];
  if (name[0] >= '0' && name[0] <= '9') {
    int k = atoi(name);
    if (k == 0) return strdup(arg0);
    return k <= posc ? strdup(posv[k - 1]) : NULL;
  }
  if (!strcmp(name, "#")) { snprintf(num, sizeof num, "%d", posc); return strdup(num); }
  if (!strcmp(name, "?")) { snprintf(num, sizeof num, "%d", last_status); return strdup(num); }
  if (!strcmp(name, "$")) { snprintf(num, sizeof num, "%d", (int)getpid()); return strdup(num); }
  if (!strcmp(name, "!")) { if (!last_bg) return NULL; snprintf(num, sizeof num, "%d", (int)last_bg); return strdup(num); }
  if (!strcmp(name, "@") || !strcmp(name, "*")) {
    if (!posc) return NULL;
    struct buf j = { 0, 0, 0 };
    bput(&j, 0);
    j.len = 0;
    for (int i = 0; i < posc; i++) { if (i) bput(&j, ' '); bputs(&j, posv[i]); }
    return j.s;
  }
  const char *v = getenv(name);
  return v ? strdup(v) : NULL;
}

/* Whether the ${...} being expanded is unquoted in a word that is split into fields. */
static int dollar_split;

static char ifs_class(char c, const char *sep);
static const char *ifs(void);

/* Appends s to b; with split, its IFS characters become field marks. */
static void put_field(struct buf *b, const char *s, int split) {
  int start = b->len;
  bputs(b, s);
  if (split) {
    const char *sep = ifs();
    for (int k = start; k < b->len; k++) { char m = ifs_class(b->s[k], sep); if (m) b->s[k] = m; }
  }
}

static void bad_substitution(void) {
  fflush(stdout);
  fprintf(stderr, "%s: %d: Bad substitution\n", arg0, cur_line);
  if (!interactive) exit(2);
}

/* ${NAME}, ${#NAME}, ${NAME:-WORD} ${NAME-WORD} := = :? ? :+ +, ${NAME%PAT} %% # ##, with p at
 * the {; returns the position after the }. */
static const char *expand_braced(const char *p, struct buf *b) {
  const char *end = brace_end(p);
  int split = dollar_split;
  dollar_split = 0;
  if (!end) { bad_substitution(); return p + strlen(p); }
  const char *q = p + 1;
  int length = 0;
  if (*q == '#' && q + 1 < end) { length = 1; q++; }
  char name[256];
  int n = 0;
  if (isname(*q, 1)) while (q < end && isname(*q, 0) && n < 255) name[n++] = *q++;
  else if (*q >= '0' && *q <= '9') while (q < end && *q >= '0' && *q <= '9' && n < 255) name[n++] = *q++;
  else if (*q && strchr("#?$!@*", *q)) name[n++] = *q++;
  name[n] = 0;
  if (!n || (length && q != end)) { bad_substitution(); return end + 1; }
  char *val = param_value(name);
  if (q == end) {
    if (!val && uflag) unset_error(name);
    if (length) { char num[32]; snprintf(num, sizeof num, "%d", val ? (int)strlen(val) : 0); bputs(b, num); }
    else if (val) put_field(b, val, split);
    free(val);
    return end + 1;
  }
  int colon = *q == ':';
  if (colon) q++;
  char op = *q++;
  int twice = 0;
  if (!colon && (op == '%' || op == '#') && *q == op) { twice = 1; q++; }
  if (!strchr("-=?+%#", op) || (colon && (op == '%' || op == '#'))) { free(val); bad_substitution(); return end + 1; }
  char *raw = strndup(q, end - q);
  int quoted;
  /* The word of - and + goes into the fields as it is (quoted parts whole); the others are values. */
  char *word = expand_word(raw, &quoted, split && (op == '-' || op == '+') ? 2 : 0);
  free(raw);
  int use_word = colon ? (!val || !*val) : !val;
  if (op == '-') { if (use_word) bputs(b, word); else put_field(b, val, split); }
  else if (op == '=') {
    if (use_word) { setenv(name, word, 1); put_field(b, word, split); }
    else put_field(b, val, split);
  } else if (op == '?') {
    if (use_word) {
      fflush(stdout);
      fprintf(stderr, "%s: %d: %s: %s\n", arg0, cur_line, name, *word ? word : colon ? "parameter not set or null" : "parameter not set");
      if (!interactive) exit(2);
    } else put_field(b, val, split);
  } else if (op == '+') {
    if (!use_word) bputs(b, word);
  } else {
    /* Removes the shortest (longest, doubled) prefix (#) or suffix (%) the pattern matches. */
    const char *v = val ? val : "";
    int len = (int)strlen(v), cut = -1;
    char *tmp = malloc(len + 1);
    for (int k = 0; k <= len && cut < 0; k++) {
      int i = twice ? len - k : k; /* the length of the part the pattern takes */
      if (op == '#') { memcpy(tmp, v, i); tmp[i] = 0; }
      else memcpy(tmp, v + len - i, i + 1);
      if (fnmatch_simple(word, tmp)) cut = i;
    }
    free(tmp);
    char *r = strdup(cut < 0 ? v : op == '#' ? v + cut : v);
    if (cut >= 0 && op == '%') r[len - cut] = 0;
    put_field(b, r, split);
    free(r);
  }
  free(word);
  free(val);
  return end + 1;
}

/* Expands $... at *p (just past the '$') into b; returns the new position. */
static const char *expand_dollar(const char *p, struct buf *b) {
  char name[256];
  int n = 0;
  char num[32];
  if (p[0] == '(' && p[1] == '(') {
    const char *end = subst_end(p);
    if (end && end[-1] == ')' && end - 1 > p + 1) {
      arith_subst(p + 2, (int)(end - p - 3), b);
      return end + 1;
    }
  }
  if (*p == '(') {
    const char *end = subst_end(p);
    if (!end) { fprintf(stderr, "sh: unexpected EOF while looking for matching `)'\n"); return p + strlen(p); }
    command_subst(p + 1, (int)(end - p - 1), b);
    return end + 1;
  }
  if (*p == '?') { snprintf(num, sizeof num, "%d", last_status); bputs(b, num); return p + 1; }
  if (*p == '$') { snprintf(num, sizeof num, "%d", (int)getpid()); bputs(b, num); return p + 1; }
  if (*p == '!') { if (last_bg) { snprintf(num, sizeof num, "%d", (int)last_bg); bputs(b, num); } return p + 1; }
  if (*p == '{') return expand_braced(p, b);
  if (*p >= '1' && *p <= '9') { if (*p - '1' < posc) bputs(b, posv[*p - '1']); return p + 1; }
  if (*p == '0') { bputs(b, arg0); return p + 1; }
  if (*p == '#') { snprintf(num, sizeof num, "%d", posc); bputs(b, num); return p + 1; }
  if (*p == '@' || *p == '*') {
    for (int i = 0; i < posc; i++) { if (i) bput(b, ' '); bputs(b, posv[i]); }
    return p + 1;
  }
  if (!isname(*p, 1)) { bput(b, '$'); return p; }
  while (isname(*p, 0) && n < 255) name[n++] = *p++;
  name[n] = 0;
  const char *v = getenv(name);
  if (v) bputs(b, v);
  else if (uflag) unset_error(name);
  return p;
}

/* The marks field splitting leaves in an unquoted expansion: FIELD_BREAK for an IFS blank (runs
 * of them make one break), FIELD_SEP for another IFS character (each one ends a field). */
#define FIELD_BREAK '\001'
#define FIELD_SEP '\002'

/* The field separators: $IFS, " \t\n" when it is unset. */
static const char *ifs(void) {
  const char *v = getenv("IFS");
  return v ? v : " \t\n";
}

/* How c splits fields: 0 not at all, FIELD_BREAK (an IFS blank), FIELD_SEP (another IFS character). */
static char ifs_class(char c, const char *sep) {
  if (!c || !strchr(sep, c)) return 0;
  return c == ' ' || c == '\t' || c == '\n' ? FIELD_BREAK : FIELD_SEP;
}

/* The closing ` of a `...` whose opening one is at p, or NULL. */
static const char *bq_end(const char *p) {
  for (const char *q = p + 1; *q; q++) {
    if (*q == '\\' && q[1]) q++;
    else if (*q == '`') return q;
  }
  return NULL;
}

/* `command` (start..end, inside the backquotes) into b: \$ \` \\ (and \" inside double quotes)
 * lose their backslash, then it runs as $(...) does. */
static void backquote_subst(const char *start, const char *end, struct buf *b, int dq) {
  struct buf cmd = { 0, 0, 0 };
  bput(&cmd, 0);
  cmd.len = 0;
  for (const char *q = start; q < end; q++) {
    if (*q == '\\' && q + 1 < end && (q[1] == '$' || q[1] == '`' || q[1] == '\\' || (dq && q[1] == '"'))) q++;
    bput(&cmd, *q);
  }
  command_subst(cmd.s, cmd.len, b);
  free(cmd.s);
}

/* Quote removal, ~ and $ expansion of a word as typed; *quoted tells whether it had quotes. With
 * split, the IFS characters an unquoted $VAR, $(...) or `...` brought become FIELD_BREAK/FIELD_SEP marks. */
static char *expand_word(const char *p, int *quoted, int split) {
  struct buf b = { 0, 0, 0 };
  bput(&b, 0);
  b.len = 0;
  *quoted = 0;
  if (*p == '~' && (p[1] == '/' || p[1] == 0)) {
    const char *h = getenv("HOME");
    bputs(&b, h ? h : "/");
    p++;
  }
  while (*p) {
    if (*p == '\\') {
      p++;
      if (*p) bput(&b, *p++);
      *quoted = 1;
    } else if (*p == '\'') {
      p++;
      while (*p && *p != '\'') bput(&b, *p++);
      if (*p) p++;
      *quoted = 1;
    } else if (*p == '"') {
      p++;
      while (*p && *p != '"') {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`')) { bput(&b, p[1]); p += 2; }
        else if (*p == '$') p = expand_dollar(p + 1, &b);
        else if (*p == '`' && bq_end(p)) { backquote_subst(p + 1, bq_end(p), &b, 1); p = bq_end(p) + 1; }
        else bput(&b, *p++);
      }
      if (*p) p++;
      *quoted = 1;
    } else if (*p == '$' && p[1] == '{') {
      /* ${...} marks its own fields (a quoted word in it stays whole). */
      dollar_split = split != 0;
      p = expand_dollar(p + 1, &b);
      dollar_split = 0;
    } else if (*p == '$' || (*p == '`' && bq_end(p))) {
      int start = b.len;
      if (*p == '$') p = expand_dollar(p + 1, &b);
      else { backquote_subst(p + 1, bq_end(p), &b, 0); p = bq_end(p) + 1; }
      if (split) {
        const char *sep = ifs();
        for (int k = start; k < b.len; k++) { char m = ifs_class(b.s[k], sep); if (m) b.s[k] = m; }
      }
    } else {
      /* split == 2: the word of ${VAR:-WORD}, whose unquoted text is split too. */
      char m = split == 2 ? ifs_class(*p, ifs()) : 0;
      bput(&b, m ? m : *p);
      p++;
    }
  }
  return b.s;
}


/* ---- tokens ---- */

/* Why the text could not be split to its end: 1 inside quotes, 2 inside $( ... ), 3 after a
 * backslash-newline, 4 inside $(( ... )), 5 before a here-document's end, 6 inside `...`, 7 inside ${...}; tok_line is the line where the text ends. */
static int tok_open, tok_line;

static int newtok(int type, int line) {
  if (ntok + 2 > tokcap) { tokcap = tokcap ? tokcap * 2 : 256; toks = realloc(toks, tokcap * sizeof *toks); }
  struct token *t = &toks[ntok];
  t->type = type; t->text = NULL; t->fd = -1; t->rtype = 0; t->assign = 0; t->line = line; t->strip = 0;
  return ntok++;
}

static void free_tokens(void) {
  for (int i = 0; i < ntok; i++) free(toks[i].text);
  ntok = 0;
}

/* The text is all there is (a here-document may end without its delimiter line). */
static int tok_final;
/* The words of the << redirections whose here-documents begin after the next newline. */
static int pending_hd[16], npending_hd;

/* Reads the pending here-documents' lines from *pp, each up to its delimiter line, into their
 * words' tokens; returns -1 when the text ends first (and is not final). */
static int read_heredocs(const char **pp, int *line) {
  const char *p = *pp;
  for (int h = 0; h < npending_hd; h++) {
    int k = pending_hd[h];
    char delim[256];
    int n = 0, quoted = 0;
    for (const char *c = toks[k].text; *c && n < 255; c++) {
      if (*c == '\'' || *c == '"' || *c == '\\') quoted = 1;
      else delim[n++] = *c;
    }
    delim[n] = 0;
    struct buf body = { 0, 0, 0 };
    bput(&body, 0);
    body.len = 0;
    for (;;) {
      if (!*p) {
        if (!tok_final) { free(body.s); return -1; }
        break;
      }
      const char *s = p, *eol = strchr(p, '\n');
      if (!eol) eol = p + strlen(p);
      if (toks[k - 1].strip) while (*s == '\t') s++;
      p = *eol ? eol + 1 : eol;
      (*line)++;
      if (eol - s == n && strncmp(s, delim, n) == 0) break;
      while (s < p) bput(&body, *s++);
    }
    free(toks[k].text);
    toks[k].text = body.s;
    toks[k - 1].rtype = quoted ? R_HEREDOC_RAW : R_HEREDOC;
  }
  npending_hd = 0;
  *pp = p;
  return 0;
}

/* Splits text, whose first line is numbered line, into tokens: words, operators, redirections and
 * newlines, ended by T_END. Returns 0, or -1 when the text ends inside a quote or a $( (tok_open). */
static int tokenize(const char *p, int line) {
  free_tokens();
  tok_open = 0;
  npending_hd = 0;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || (*p == '\\' && p[1] == '\n')) {
      if (*p == '\\') {
        p++;
        line++;
        if (p[1] == 0) { tok_open = 3; tok_line = line; newtok(T_END, line); return -1; }
      }
      p++;
    }
    if (*p == '#') while (*p && *p != '\n') p++;
    if (*p == 0) break;
    if (*p == '\n') {
      newtok(T_NL, line);
      line++;
      p++;
      if (npending_hd && read_heredocs(&p, &line) < 0) { tok_open = 5; tok_line = line; newtok(T_END, line); return -1; }
      continue;
    }
    if (p[0] == '|' && p[1] == '|') { newtok(T_OR, line); p += 2; continue; }
    if (p[0] == '&' && p[1] == '&') { newtok(T_AND, line); p += 2; continue; }
    if (*p == '|') { newtok(T_PIPE, line); p++; continue; }
    if (p[0] == ';' && p[1] == ';') { newtok(T_DSEMI, line); p += 2; continue; }
    if (*p == ';') { newtok(T_SEMI, line); p++; continue; }
    if (*p == '&') { newtok(T_BG, line); p++; continue; }
    if (*p == '(') { newtok(T_LPAREN, line); p++; continue; }
    if (*p == ')') { newtok(T_RPAREN, line); p++; continue; }
    /* Redirections: [N]< [N]> [N]>> [N]>&M */
    const char *q = p;
    int fd = -1;
    if (*q >= '0' && *q <= '9' && (q[1] == '<' || q[1] == '>')) { fd = *q - '0'; q++; }
    if (*q == '<' || *q == '>') {
      int k = newtok(T_REDIR, line);
      struct token *t = &toks[k];
      if (q[0] == '<' && q[1] == '<') { t->rtype = R_HEREDOC; q += 2; if (*q == '-') { t->strip = 1; q++; } }
      else if (q[0] == '>' && q[1] == '>') { t->rtype = R_APPEND; q += 2; }
      else if (q[0] == '>' && q[1] == '&') { t->rtype = R_DUP; q += 2; }
      else if (q[0] == '<') { t->rtype = R_IN; q++; }
      else { t->rtype = R_OUT; q++; }
      t->fd = fd >= 0 ? fd : (t->rtype == R_IN || t->rtype == R_HEREDOC ? 0 : 1);
      p = q;
      continue;
    }
    /* A word: kept as typed; quotes are removed and $ expanded when its command runs. */
    const char *w = p;
    while (*p && !strchr(" \t\n\r|;&<>()", *p)) {
      if (*p == '\\') { p++; if (*p) p++; }
      else if (*p == '$' && p[1] == '(') {
        const char *end = subst_end(p + 1);
        if (!end) { tok_open = p[2] == '(' ? 4 : 2; break; }
        p = end + 1;
      } else if (*p == '`') {
        const char *end = bq_end(p);
        if (!end) { tok_open = 6; break; }
        p = end + 1;
      } else if (*p == '$' && p[1] == '{') {
        const char *end = brace_end(p + 1);
        if (!end) { tok_open = 7; break; }
        p = end + 1;
      } else if (*p == '\'' || *p == '"') {
        char qc = *p++;
        while (*p && *p != qc) {
          if (qc == '"' && *p == '\\' && p[1]) p++;
          else if (qc == '"' && *p == '$' && p[1] == '(' && subst_end(p + 1)) p = subst_end(p + 1);
          else if (qc == '"' && *p == '`' && bq_end(p)) p = bq_end(p);
          else if (qc == '"' && *p == '$' && p[1] == '{' && brace_end(p + 1)) p = brace_end(p + 1);
          p++;
        }
        if (!*p) { tok_open = 1; break; }
        p++;
      } else p++;
    }
    if (tok_open) {
      /* The error is reported at the end of the text, as dash does. */
      for (const char *c = w; *c; c++) if (*c == '\n') line++;
      tok_line = line;
      newtok(T_END, line);
      return -1;
    }
    int k = newtok(T_WORD, line);
    struct token *t = &toks[k];
    t->text = strndup(w, p - w);
    for (const char *c = w; c < p; c++) if (*c == '\n') line++;
    int name_len = 0;
    while (isname(w[name_len], name_len == 0)) name_len++;
    t->assign = name_len > 0 && w[name_len] == '=';
    if (k > 0 && toks[k - 1].type == T_REDIR && toks[k - 1].rtype == R_HEREDOC && npending_hd < 16) pending_hd[npending_hd++] = k;
  }
  if (npending_hd) {
    /* Here-documents after the last line: their text is still to come. */
    if (!tok_final) { tok_open = 5; tok_line = line; newtok(T_END, line); return -1; }
    read_heredocs(&p, &line);
  }
  newtok(T_END, line);
  return 0;
}

/* The reserved words, which begin or end compound commands where a command could begin. */
static const char *const reserved[] = { "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{", "}", "!", "in", NULL };

static int is_reserved(const char *w) {
  for (int i = 0; reserved[i]; i++) if (strcmp(w, reserved[i]) == 0) return 1;
  return 0;
}

/* Token i as dash names it in a syntax error: "done", word, newline, end of file, "|"... */
static void tokdesc(int i, char *out, int n) {
  const char *op = NULL;
  switch (toks[i].type) {
  case T_WORD:
    if (is_reserved(toks[i].text)) snprintf(out, n, "\"%s\"", toks[i].text);
    else snprintf(out, n, "word");
    return;
  case T_NL: snprintf(out, n, "newline"); return;
  case T_END: snprintf(out, n, "end of file"); return;
  case T_PIPE: op = "|"; break;
  case T_SEMI: op = ";"; break;
  case T_DSEMI: op = ";;"; break;
  case T_BG: op = "&"; break;
  case T_AND: op = "&&"; break;
  case T_OR: op = "||"; break;
  case T_LPAREN: op = "("; break;
  case T_RPAREN: op = ")"; break;
  default: op = toks[i].rtype == R_HEREDOC || toks[i].rtype == R_HEREDOC_RAW ? "<<" : toks[i].rtype == R_IN ? "<" : toks[i].rtype == R_APPEND ? ">>" : toks[i].rtype == R_DUP ? ">&" : ">"; break;
  }
  snprintf(out, n, "\"%s\"", op);
}
/* ---- pathname expansion (globbing) of unquoted words with * ? [...] ---- */
static int fnmatch_simple(const char *p, const char *s) {
  for (; *p; p++, s++) {
    if (*p == '*') {
      while (p[1] == '*') p++;
      for (const char *t = s;; t++) {
        if (fnmatch_simple(p + 1, t)) return 1;
        if (!*t) return 0;
      }
    }
    if (!*s) return 0;
    if (*p == '?') continue;
    if (*p == '[') {
      const char *q = p + 1;
      int neg = *q == '!' || *q == '^', hit = 0;
      if (neg) q++;
      const char *first = q;
      while (*q && (*q != ']' || q == first)) {
        if (q[1] == '-' && q[2] && q[2] != ']') { if (*s >= q[0] && *s <= q[2]) hit = 1; q += 3; }
        else { if (*s == *q) hit = 1; q++; }
      }
      if (!*q) { if (*s != '[') return 0; continue; } /* no closing ]: a plain [ */
      if (hit == neg) return 0;
      p = q;
      continue;
    }
    if (*p != *s) return 0;
  }
  return *s == 0;
}

static char **globv;
static int globn, globcap;

static int glob_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Matches the components of pattern rest under the directory prefix (which ends in '/' or is ""). */
static void glob_walk(const char *prefix, const char *rest) {
  while (*rest == '/') rest++;
  const char *slash = strchr(rest, '/');
  int clen = slash ? (int)(slash - rest) : (int)strlen(rest);
  char comp[256];
  if (clen >= (int)sizeof comp) return;
  memcpy(comp, rest, clen);
  comp[clen] = 0;
  char path[4096];
  if (!strpbrk(comp, "*?[")) {
    snprintf(path, sizeof path, "%s%s%s", prefix, comp, slash ? "/" : "");
    if (slash) glob_walk(path, slash + 1);
    else if (access(path, F_OK) == 0) { if (globn == globcap) { globcap = globcap ? globcap * 2 : 16; globv = realloc(globv, globcap * sizeof *globv); } globv[globn++] = strdup(path); }
    return;
  }
  DIR *d = opendir(*prefix ? prefix : ".");
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && comp[0] != '.') continue;
    if (!fnmatch_simple(comp, e->d_name)) continue;
    snprintf(path, sizeof path, "%s%s", prefix, e->d_name);
    if (slash) {
      strncat(path, "/", sizeof path - strlen(path) - 1);
      glob_walk(path, slash + 1);
    } else {
      if (globn == globcap) { globcap = globcap ? globcap * 2 : 16; globv = realloc(globv, globcap * sizeof *globv); }
      globv[globn++] = strdup(path);
    }
  }
  closedir(d);
}

/* Expands pattern into sorted matches appended to c->argv; returns 0 when nothing matched. */
static int glob_into(const char *pattern, char **argv, int *argc);
/* The strings made for the commands being run, freed (down to a mark) when they are done. */
static char **scratch;
static int nscratch, scratchcap;

static void keep(char *x) {
  if (nscratch == scratchcap) { scratchcap = scratchcap ? scratchcap * 2 : 64; scratch = realloc(scratch, scratchcap * sizeof *scratch); }
  scratch[nscratch++] = x;
}

static void free_scratch(int mark) {
  while (nscratch > mark) free(scratch[--nscratch]);
}

/* Expands a word for the command about to run. */
static char *expanded(const char *text, int *quoted, int split) {
  char *x = expand_word(text, quoted, split);
  keep(x);
  return x;
}

static int glob_into(const char *pattern, char **argv, int *argc) {
  globn = 0;
  glob_walk(pattern[0] == '/' ? "/" : "", pattern);
  if (globn == 0) return 0;
  qsort(globv, globn, sizeof *globv, glob_cmp);
  for (int i = 0; i < globn; i++) {
    if (*argc < MAXARGS - 1) argv[(*argc)++] = globv[i];
    keep(globv[i]);
  }
  return 1;
}

/* Appends the fields of a word as typed to argv: expanded, split into fields and globbed. */
static void add_fields(const char *text, char **argv, int *argc) {
  int q;
  if (strcmp(text, "\"$@\"") == 0) {
    /* "$@": each positional parameter, as it is. */
    for (int i = 0; i < posc && *argc < MAXARGS - 1; i++) argv[(*argc)++] = posv[i];
    return;
  }
  char *w = expanded(text, &q, 1);
  /* A word typed with * ? or [ and no quoting is a pattern: its matches, or itself when none. */
  int pattern = !strpbrk(text, "'\"\\") && strpbrk(text, "*?[");
  if (pattern && !strpbrk(w, "\001\002") && glob_into(w, argv, argc)) return;
  if (strpbrk(w, "\001\002")) {
    /* Field splitting: a run of breaks, with at most one separator in it, ends a field; leading
     * breaks and a last separator make none, but a separator after a separator (or at the start)
     * ends an empty field. */
    char *p = w;
    while (*p == FIELD_BREAK) p++;
    while (*p) {
      char *f = p;
      while (*p && *p != FIELD_BREAK && *p != FIELD_SEP) p++;
      char c = *p;
      *p = 0;
      if (*argc < MAXARGS - 1) argv[(*argc)++] = f;
      if (!c) break;
      p++;
      while (*p == FIELD_BREAK) p++;
      if (c == FIELD_BREAK && *p == FIELD_SEP) {
        p++;
        while (*p == FIELD_BREAK) p++;
      }
    }
    return;
  }
  /* An unquoted expansion that came out empty is no word at all. */
  if ((*w || q) && *argc < MAXARGS - 1) argv[(*argc)++] = w;
}

/* ---- the parser: tokens to a tree of commands ---- */

enum { N_SIMPLE, N_PIPE, N_AND, N_OR, N_SEQ, N_BG, N_IF, N_WHILE, N_UNTIL, N_FOR, N_GROUP, N_SUB, N_CASE, N_ITEM, N_FUNC };

struct node {
  int type, line;
  char **words;        /* N_SIMPLE: its words as typed, the first nassign of them assignments; N_FOR: the
                        * list; N_CASE: the word; N_ITEM: the patterns */
  int nwords, nassign;
  struct redir *redirs; /* targets as typed */
  int nredir;
  struct node *a, *b, *c; /* N_IF: a then b else c; loops: a do b; N_FOR: b; lists: a then b; N_ITEM: a */
  struct node **kids;  /* N_PIPE: its commands; N_CASE: its items */
  int nkids, bang;
  char *name;          /* N_FOR: the variable (has_in: whether `in WORDS` was there); N_FUNC: the
                        * function's name, a its body */
  int has_in;
};

static int P;         /* the token being parsed */
static int perr;      /* 0; 1 after a syntax error (reported); 2 when the text ended too early */
static int at_eof;    /* the text is all there is: its end is an error, not a reason to read more */

static struct node *newnode(int type, int line) {
  struct node *n = calloc(1, sizeof *n);
  n->type = type;
  n->line = line;
  return n;
}

static void free_node(struct node *n) {
  if (!n) return;
  for (int i = 0; i < n->nwords; i++) free(n->words[i]);
  free(n->words);
  for (int i = 0; i < n->nredir; i++) free(n->redirs[i].target);
  free(n->redirs);
  free_node(n->a);
  free_node(n->b);
  free_node(n->c);
  for (int i = 0; i < n->nkids; i++) free_node(n->kids[i]);
  free(n->kids);
  free(n->name);
  free(n);
}

/* What is being parsed, before "Syntax error" ("eval: " for eval's text). */
static const char *syntax_ctx = "";

static void syntax_msg(int line, const char *msg) {
  if (perr) return;
  perr = 1;
  fflush(stdout);
  fprintf(stderr, "%s: %d: %sSyntax error: %s\n", arg0, line, syntax_ctx, msg);
}

/* Token i is not what the grammar allows there. At the end of a text more lines could complete,
 * that only means: read more. */
static void syntax(int i, const char *expecting) {
  if (perr) return;
  if (toks[i].type == T_END && !at_eof) { perr = 2; return; }
  char d[300], msg[400];
  tokdesc(i, d, sizeof d);
  if (expecting) snprintf(msg, sizeof msg, "%s unexpected (expecting \"%s\")", d, expecting);
  else snprintf(msg, sizeof msg, "%s unexpected", d);
  syntax_msg(toks[i].line, msg);
}

static int is_word(int i, const char *w) { return toks[i].type == T_WORD && strcmp(toks[i].text, w) == 0; }

/* Whether token i ends a compound list: a closing reserved word, `)`, `;;`, or the end. */
static int is_closer(int i) {
  if (toks[i].type == T_RPAREN || toks[i].type == T_END || toks[i].type == T_DSEMI) return 1;
  if (toks[i].type != T_WORD) return 0;
  const char *w = toks[i].text;
  return !strcmp(w, "then") || !strcmp(w, "elif") || !strcmp(w, "else") || !strcmp(w, "fi") || !strcmp(w, "do") ||
         !strcmp(w, "done") || !strcmp(w, "}") || !strcmp(w, "esac");
}

static void linebreak(void) { while (toks[P].type == T_NL) P++; }

static int expect(const char *w) {
  if (is_word(P, w)) { P++; return 0; }
  syntax(P, w);
  return -1;
}

static struct node *parse_list(int top);

static int parse_redir(struct node *n) {
  if (toks[P + 1].type != T_WORD) { syntax(P + 1, NULL); return -1; }
  if (n->nredir >= MAXREDIR) { syntax_msg(toks[P].line, "too many redirections"); return -1; }
  n->redirs = realloc(n->redirs, (n->nredir + 1) * sizeof *n->redirs);
  struct redir *r = &n->redirs[n->nredir++];
  r->fd = toks[P].fd;
  r->type = toks[P].rtype;
  r->target = strdup(toks[P + 1].text);
  P += 2;
  return 0;
}

static struct node *parse_command(void);

/* NAME ( ) COMMAND: a function definition, at NAME. */
static struct node *parse_function(void) {
  struct node *n = newnode(N_FUNC, toks[P].line);
  const char *name = toks[P].text;
  int ok = isname(name[0], 1);
  for (int i = 1; ok && name[i]; i++) ok = isname(name[i], 0);
  if (!ok) { syntax_msg(toks[P].line, "Bad function name"); free_node(n); return NULL; }
  n->name = strdup(name);
  P += 2;
  if (toks[P].type != T_RPAREN) { syntax(P, ")"); free_node(n); return NULL; }
  P++;
  linebreak();
  n->a = parse_command();
  if (!n->a) { free_node(n); return NULL; }
  return n;
}

static struct node *parse_simple(void) {
  if (toks[P].type == T_WORD && !toks[P].assign && toks[P + 1].type == T_LPAREN) return parse_function();
  struct node *n = newnode(N_SIMPLE, toks[P].line);
  while (toks[P].type == T_WORD || toks[P].type == T_REDIR) {
    if (toks[P].type == T_REDIR) {
      if (parse_redir(n) < 0) { free_node(n); return NULL; }
      continue;
    }
    if (n->nwords >= MAXARGS - 1) { syntax_msg(toks[P].line, "too many words"); free_node(n); return NULL; }
    n->words = realloc(n->words, (n->nwords + 1) * sizeof *n->words);
    if (n->nwords == n->nassign && toks[P].assign) n->nassign++;
    n->words[n->nwords++] = strdup(toks[P].text);
    P++;
  }
  return n;
}

/* if LIST then LIST [elif LIST then LIST]... [else LIST] fi, at `if` or `elif`. */
static struct node *parse_if(void) {
  struct node *n = newnode(N_IF, toks[P].line);
  P++;
  n->a = parse_list(0);
  if (perr || expect("then") < 0) goto fail;
  n->b = parse_list(0);
  if (perr) goto fail;
  if (is_word(P, "elif")) {
    n->c = parse_if();
    if (!n->c) goto fail;
    return n;
  }
  if (is_word(P, "else")) {
    P++;
    n->c = parse_list(0);
    if (perr) goto fail;
  }
  if (expect("fi") < 0) goto fail;
  return n;
fail:
  free_node(n);
  return NULL;
}

/* while LIST do LIST done, until LIST do LIST done */
static struct node *parse_loop(int type) {
  struct node *n = newnode(type, toks[P].line);
  P++;
  n->a = parse_list(0);
  if (perr || expect("do") < 0) goto fail;
  n->b = parse_list(0);
  if (perr || expect("done") < 0) goto fail;
  return n;
fail:
  free_node(n);
  return NULL;
}

/* for NAME [in WORDS...] ; do LIST done */
static struct node *parse_for(void) {
  struct node *n = newnode(N_FOR, toks[P].line);
  P++;
  const char *name = toks[P].type == T_WORD ? toks[P].text : "";
  int ok = isname(name[0], 1);
  for (int i = 1; ok && name[i]; i++) ok = isname(name[i], 0);
  if (!ok) { syntax_msg(toks[P].line, "Bad for loop variable"); goto fail; }
  n->name = strdup(name);
  P++;
  linebreak();
  if (is_word(P, "in")) {
    P++;
    n->has_in = 1;
    while (toks[P].type == T_WORD) {
      n->words = realloc(n->words, (n->nwords + 1) * sizeof *n->words);
      n->words[n->nwords++] = strdup(toks[P].text);
      P++;
    }
    if (toks[P].type != T_SEMI && toks[P].type != T_NL) { syntax(P, NULL); goto fail; }
    P++;
    linebreak();
  } else if (toks[P].type == T_SEMI) {
    P++;
    linebreak();
  }
  if (expect("do") < 0) goto fail;
  n->b = parse_list(0);
  if (perr || expect("done") < 0) goto fail;
  return n;
fail:
  free_node(n);
  return NULL;
}

/* A copy of a tree (a function's body outlives the command line that defined it). */
static struct node *dup_node(const struct node *n) {
  if (!n) return NULL;
  struct node *d = newnode(n->type, n->line);
  *d = *n;
  if (n->nwords) {
    d->words = malloc(n->nwords * sizeof *d->words);
    for (int i = 0; i < n->nwords; i++) d->words[i] = strdup(n->words[i]);
  }
  if (n->nredir) {
    d->redirs = malloc(n->nredir * sizeof *d->redirs);
    for (int i = 0; i < n->nredir; i++) { d->redirs[i] = n->redirs[i]; d->redirs[i].target = strdup(n->redirs[i].target); }
  }
  d->a = dup_node(n->a);
  d->b = dup_node(n->b);
  d->c = dup_node(n->c);
  if (n->nkids) {
    d->kids = malloc(n->nkids * sizeof *d->kids);
    for (int i = 0; i < n->nkids; i++) d->kids[i] = dup_node(n->kids[i]);
  }
  if (n->name) d->name = strdup(n->name);
  return d;
}

static void add_word(struct node *n, const char *text) {
  n->words = realloc(n->words, (n->nwords + 1) * sizeof *n->words);
  n->words[n->nwords++] = strdup(text);
}

/* case WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac (the last ;; may be left out). */
static struct node *parse_case(void) {
  struct node *n = newnode(N_CASE, toks[P].line);
  P++;
  if (toks[P].type != T_WORD) { syntax(P, NULL); goto fail; }
  add_word(n, toks[P].text);
  P++;
  linebreak();
  if (expect("in") < 0) goto fail;
  for (;;) {
    linebreak();
    if (is_word(P, "esac")) { P++; return n; }
    struct node *item = newnode(N_ITEM, toks[P].line);
    n->kids = realloc(n->kids, (n->nkids + 1) * sizeof *n->kids);
    n->kids[n->nkids++] = item;
    if (toks[P].type == T_LPAREN) P++;
    for (;;) {
      if (toks[P].type != T_WORD) {
        /* dash names what it found here "word", whatever it was (but the end). */
        if (toks[P].type == T_END) syntax(P, ")");
        else syntax_msg(toks[P].line, "word unexpected (expecting \")\")");
        goto fail;
      }
      add_word(item, toks[P].text);
      P++;
      if (toks[P].type != T_PIPE) break;
      P++;
    }
    if (toks[P].type != T_RPAREN) { syntax(P, ")"); goto fail; }
    P++;
    linebreak();
    if (toks[P].type != T_DSEMI && !is_word(P, "esac")) {
      item->a = parse_list(0);
      if (perr) goto fail;
    }
    if (toks[P].type == T_DSEMI) { P++; continue; }
    if (!is_word(P, "esac")) { syntax(P, ";;"); goto fail; }
  }
fail:
  free_node(n);
  return NULL;
}

/* A simple or compound command, with the redirections that follow a compound one. */
static struct node *parse_command(void) {
  struct node *n = NULL;
  int line = toks[P].line;
  if (toks[P].type == T_WORD) {
    const char *w = toks[P].text;
    if (!strcmp(w, "if")) n = parse_if();
    else if (!strcmp(w, "while")) n = parse_loop(N_WHILE);
    else if (!strcmp(w, "until")) n = parse_loop(N_UNTIL);
    else if (!strcmp(w, "for")) n = parse_for();
    else if (!strcmp(w, "case")) n = parse_case();
    else if (!strcmp(w, "{")) {
      P++;
      n = newnode(N_GROUP, line);
      n->a = parse_list(0);
      if (perr || expect("}") < 0) { free_node(n); return NULL; }
    } else if (is_closer(P) || !strcmp(w, "in") || !strcmp(w, "!")) {
      syntax(P, NULL);
      return NULL;
    } else return parse_simple();
  } else if (toks[P].type == T_LPAREN) {
    P++;
    n = newnode(N_SUB, line);
    n->a = parse_list(0);
    if (perr) { free_node(n); return NULL; }
    if (toks[P].type != T_RPAREN) { syntax(P, ")"); free_node(n); return NULL; }
    P++;
  } else if (toks[P].type == T_REDIR) {
    return parse_simple();
  } else {
    syntax(P, NULL);
    return NULL;
  }
  if (!n) return NULL;
  while (toks[P].type == T_REDIR) if (parse_redir(n) < 0) { free_node(n); return NULL; }
  return n;
}

/* [!] COMMAND [| COMMAND]... */
static struct node *parse_pipeline(void) {
  int line = toks[P].line, bang = 0;
  if (is_word(P, "!")) { bang = 1; P++; }
  struct node *c = parse_command();
  if (!c) return NULL;
  if (!bang && toks[P].type != T_PIPE) return c;
  struct node *p = newnode(N_PIPE, line);
  p->bang = bang;
  for (;;) {
    p->kids = realloc(p->kids, (p->nkids + 1) * sizeof *p->kids);
    p->kids[p->nkids++] = c;
    if (toks[P].type != T_PIPE) return p;
    P++;
    linebreak();
    c = parse_command();
    if (!c) { free_node(p); return NULL; }
  }
}

/* PIPELINE [&& PIPELINE | || PIPELINE]... */
static struct node *parse_and_or(void) {
  struct node *n = parse_pipeline();
  while (n && (toks[P].type == T_AND || toks[P].type == T_OR)) {
    struct node *m = newnode(toks[P].type == T_AND ? N_AND : N_OR, n->line);
    m->a = n;
    P++;
    linebreak();
    m->b = parse_pipeline();
    if (!m->b) { free_node(m); return NULL; }
    n = m;
  }
  return n;
}

/* A list of and-or lists joined by ; & (and newlines, unless top): with top, one complete command,
 * which a newline or the end of the text ends; else the list of a compound command, which its
 * closing word ends (an empty list at the end of the text is left for the caller to report). */
static struct node *parse_list(int top) {
  struct node *list = NULL;
  if (!top) {
    linebreak();
    if (toks[P].type == T_END) return NULL;
  }
  for (;;) {
    struct node *n = parse_and_or();
    if (!n) { free_node(list); return NULL; }
    int t = toks[P].type;
    if (t == T_BG) {
      struct node *bg = newnode(N_BG, n->line);
      bg->a = n;
      n = bg;
    }
    if (list) {
      struct node *s = newnode(N_SEQ, list->line);
      s->a = list;
      s->b = n;
      list = s;
    } else list = n;
    if (t == T_SEMI || t == T_BG) P++;
    else if (t != T_NL || top) break;
    if (top) {
      if (toks[P].type == T_NL || toks[P].type == T_END) break;
      continue;
    }
    linebreak();
    if (is_closer(P)) break;
  }
  if (top ? toks[P].type != T_NL && toks[P].type != T_END : !is_closer(P)) {
    syntax(P, NULL);
    free_node(list);
    return NULL;
  }
  return list;
}
/* Applies redirections in this process; save (if given) receives copies of what was replaced. */
static int apply_redirs(struct cmd *c, int *save) {
  for (int i = 0; i < c->nredir; i++) {
    struct redir *r = &c->redirs[i];
    int fd;
    if (save && save[r->fd] == -2) save[r->fd] = dup(r->fd);
    if (r->type == R_DUP) {
      if (strcmp(r->target, "-") == 0) { close(r->fd); continue; }
      char *end;
      long m = strtol(r->target, &end, 10);
      if (*end || end == r->target) { fprintf(stderr, "sh: %s: ambiguous redirect\n", r->target); return -1; }
      if (dup2((int)m, r->fd) < 0) { fprintf(stderr, "sh: %ld: %s\n", m, strerror(errno)); return -1; }
      continue;
    }
    if (r->type == R_HEREDOC || r->type == R_HEREDOC_RAW) {
      /* The text through a pipe; a long one written by a child, so the pipe cannot fill up. */
      int pfd[2];
      if (pipe(pfd) < 0) { perror("sh: pipe"); return -1; }
      int len = (int)strlen(r->target);
      if (len <= 4096) {
        if (write(pfd[1], r->target, len) < 0) perror("sh: write");
      } else {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
          close(pfd[0]);
          for (int off = 0; off < len;) { long w = write(pfd[1], r->target + off, len - off); if (w <= 0) break; off += (int)w; }
          _exit(0);
        }
      }
      close(pfd[1]);
      if (pfd[0] != r->fd) { dup2(pfd[0], r->fd); close(pfd[0]); }
      continue;
    }
    if (r->type == R_IN) fd = open(r->target, O_RDONLY);
    else if (r->type == R_APPEND) fd = open(r->target, O_WRONLY | O_CREAT | O_APPEND, 0666);
    else fd = open(r->target, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) { fprintf(stderr, "sh: %s: %s\n", r->target, strerror(errno)); return -1; }
    if (fd != r->fd) { dup2(fd, r->fd); close(fd); }
  }
  return 0;
}

static void set_assign(char *a) {
  char *eq = strchr(a, '=');
  *eq = 0;
  setenv(a, eq + 1, 1);
  *eq = '=';
}

/* ---- test and [, as dash has them ---- */

static const char *t_name; /* "test" or "[" */
static char **t_av;
static int t_ac, t_i, t_err;

static void t_error(const char *what, const char *arg) {
  if (t_err) return;
  t_err = 1;
  fflush(stdout);
  if (arg) fprintf(stderr, "%s: %d: %s: %s: %s\n", arg0, cur_line, t_name, arg, what);
  else fprintf(stderr, "%s: %d: %s: %s\n", arg0, cur_line, t_name, what);
}

static int t_unary_op(const char *s) { return s[0] == '-' && s[1] && !s[2] && strchr("efdrwxszntLhpcbSgukG", s[1]) != NULL; }

static int t_binary_op(const char *s) {
  return !strcmp(s, "=") || !strcmp(s, "!=") || !strcmp(s, "<") || !strcmp(s, ">") || !strcmp(s, "-eq") || !strcmp(s, "-ne") ||
         !strcmp(s, "-lt") || !strcmp(s, "-le") || !strcmp(s, "-gt") || !strcmp(s, "-ge");
}

/* An integer operand: blanks around digits with an optional sign, else "Illegal number". */
static long t_num(const char *s) {
  const char *p = s;
  while (*p == ' ' || *p == '\t') p++;
  const char *d = p;
  if (*d == '-' || *d == '+') d++;
  char *end = (char *)d;
  long v = *d >= '0' && *d <= '9' ? strtol(p, &end, 10) : 0;
  while (end != d && (*end == ' ' || *end == '\t')) end++;
  if (end == d || *end) { char msg[300]; snprintf(msg, sizeof msg, "Illegal number: %s", s); t_error(msg, NULL); return 0; }
  return v;
}

static int t_unary(const char *op, const char *a) {
  struct stat st;
  switch (op[1]) {
  case 'z': return *a == 0;
  case 'n': return *a != 0;
  case 't': return isatty((int)t_num(a));
  case 'r': return access(a, R_OK) == 0;
  case 'w': return access(a, W_OK) == 0;
  case 'x': return access(a, X_OK) == 0;
  case 'L': case 'h': return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
  }
  if (stat(a, &st) < 0) return 0;
  switch (op[1]) {
  case 'e': return 1;
  case 'f': return S_ISREG(st.st_mode);
  case 'd': return S_ISDIR(st.st_mode);
  case 's': return st.st_size > 0;
  case 'p': return S_ISFIFO(st.st_mode);
  case 'c': return S_ISCHR(st.st_mode);
  case 'b': return S_ISBLK(st.st_mode);
  case 'S': return S_ISSOCK(st.st_mode);
  case 'u': return (st.st_mode & S_ISUID) != 0;
  case 'g': return (st.st_mode & S_ISGID) != 0;
  case 'k': return (st.st_mode & S_ISVTX) != 0;
  case 'G': return st.st_gid == getegid();
  }
  return 0;
}

static int t_binary(const char *a, const char *op, const char *b) {
  if (!strcmp(op, "=")) return strcmp(a, b) == 0;
  if (!strcmp(op, "!=")) return strcmp(a, b) != 0;
  if (!strcmp(op, "<")) return strcmp(a, b) < 0;
  if (!strcmp(op, ">")) return strcmp(a, b) > 0;
  long x = t_num(a), y = t_num(b);
  if (!strcmp(op, "-eq")) return x == y;
  if (!strcmp(op, "-ne")) return x != y;
  if (!strcmp(op, "-lt")) return x < y;
  if (!strcmp(op, "-le")) return x <= y;
  if (!strcmp(op, "-gt")) return x > y;
  return x >= y;
}

static int t_oexpr(void);

static int t_primary(void) {
  if (t_i >= t_ac) { t_error("argument expected", t_i ? t_av[t_i - 1] : NULL); return 0; }
  const char *a = t_av[t_i];
  if (!strcmp(a, "(") && t_i + 1 < t_ac) {
    t_i++;
    int r = t_oexpr();
    if (t_i >= t_ac || strcmp(t_av[t_i], ")")) { t_error("closing paren expected", NULL); return 0; }
    t_i++;
    return r;
  }
  if (t_i + 2 < t_ac && t_binary_op(t_av[t_i + 1])) {
    t_i += 3;
    return t_binary(a, t_av[t_i - 2], t_av[t_i - 1]);
  }
  if (t_unary_op(a) && t_i + 1 < t_ac) {
    t_i += 2;
    return t_unary(a, t_av[t_i - 1]);
  }
  if (t_i + 2 == t_ac && t_binary_op(t_av[t_i + 1])) { t_error("argument expected", t_av[t_i + 1]); return 0; }
  t_i++;
  return *a != 0;
}

static int t_nexpr(void) {
  if (t_i < t_ac && !strcmp(t_av[t_i], "!") && t_i + 1 < t_ac) { t_i++; return !t_nexpr(); }
  return t_primary();
}

static int t_aexpr(void) {
  int r = t_nexpr();
  while (!t_err && t_i < t_ac && !strcmp(t_av[t_i], "-a")) { t_i++; int s = t_nexpr(); r = r && s; }
  return r;
}

static int t_oexpr(void) {
  int r = t_aexpr();
  while (!t_err && t_i < t_ac && !strcmp(t_av[t_i], "-o")) { t_i++; int s = t_aexpr(); r = r || s; }
  return r;
}

/* test EXPR, [ EXPR ]: 0 true, 1 false, 2 on an error. */
static int builtin_test(char **argv, int argc) {
  t_name = argv[0];
  t_err = 0;
  if (!strcmp(argv[0], "[")) {
    if (strcmp(argv[argc - 1], "]")) { t_error("missing ]", NULL); return 2; }
    argc--;
  }
  t_av = argv + 1;
  t_ac = argc - 1;
  t_i = 0;
  int r;
  if (t_ac == 0) r = 0;
  else if (t_ac == 1) r = *t_av[0] != 0;
  else if (t_ac == 2 && !strcmp(t_av[0], "!")) r = *t_av[1] == 0;
  else if (t_ac == 3 && t_binary_op(t_av[1])) r = t_binary(t_av[0], t_av[1], t_av[2]);
  else {
    r = t_oexpr();
    if (!t_err && t_i < t_ac) t_error("unexpected operator", t_av[t_i - 1]);
  }
  if (t_err) return 2;
  return r ? 0 : 1;
}
/* read [-r] [-p PROMPT] NAME...: one line of standard input, a byte at a time (so nothing after it
 * is taken from the commands that read next), split at blanks into the NAMEs, the last one getting
 * the rest; a backslash escapes the next character (a newline: the line goes on) unless -r.
 * The blanks and separators are $IFS's characters.
 * Status 1 at the end of the input. */
static int builtin_read(char **argv) {
  int raw = 0, i = 1;
  const char *prompt_text = NULL;
  for (; argv[i] && argv[i][0] == '-' && argv[i][1]; i++) {
    if (!strcmp(argv[i], "--")) { i++; break; }
    if (!strcmp(argv[i], "-p") && argv[i + 1]) { prompt_text = argv[++i]; continue; }
    for (const char *o = argv[i] + 1; *o; o++) {
      if (*o == 'r') raw = 1;
      else { fflush(stdout); fprintf(stderr, "%s: %d: read: Illegal option -%c\n", arg0, cur_line, *o); return 2; }
    }
  }
  if (!argv[i]) { fflush(stdout); fprintf(stderr, "%s: %d: read: arg count\n", arg0, cur_line); return 2; }
  for (int k = i; argv[k]; k++) {
    int ok = isname(argv[k][0], 1);
    for (int j = 1; ok && argv[k][j]; j++) ok = isname(argv[k][j], 0);
    if (!ok) { fflush(stdout); fprintf(stderr, "%s: %d: read: %s: bad variable name\n", arg0, cur_line, argv[k]); return 2; }
  }
  if (prompt_text && isatty(0)) { fputs(prompt_text, stderr); fflush(stderr); }
  /* The line, and which of its characters were escaped (kept whole by the splitting). */
  struct buf t = { 0, 0, 0 }, esc = { 0, 0, 0 };
  bput(&t, 0);
  bput(&esc, 0);
  t.len = esc.len = 0;
  int eof = 0;
  for (;;) {
    char c;
    long k = read(0, &c, 1);
    if (k < 0 && errno == EINTR) {
      if (interactive && got_sigint) { free(t.s); free(esc.s); return 130; }
      continue;
    }
    if (k <= 0) { eof = 1; break; }
    if (c == '\n') break;
    if (c == '\\' && !raw) {
      while ((k = read(0, &c, 1)) < 0 && errno == EINTR) {}
      if (k <= 0) { eof = 1; break; }
      if (c == '\n') continue;
      bput(&t, c);
      bput(&esc, 1);
      continue;
    }
    bput(&t, c);
    bput(&esc, 0);
  }
  int pos = 0;
  const char *sep = ifs();
#define READ_BLANK(j) (!esc.s[j] && ifs_class(t.s[j], sep) == FIELD_BREAK)
#define READ_SEP(j) (!esc.s[j] && ifs_class(t.s[j], sep) == FIELD_SEP)
  while (pos < t.len && READ_BLANK(pos)) pos++;
  for (; argv[i]; i++) {
    int start = pos, end;
    if (argv[i + 1]) {
      while (pos < t.len && !READ_BLANK(pos) && !READ_SEP(pos)) pos++;
      end = pos;
      while (pos < t.len && READ_BLANK(pos)) pos++;
      if (pos < t.len && READ_SEP(pos)) {
        pos++;
        while (pos < t.len && READ_BLANK(pos)) pos++;
      }
    } else {
      end = t.len;
      while (end > start && READ_BLANK(end - 1)) end--;
      pos = t.len;
    }
    char *v = strndup(t.s + start, end - start);
    setenv(argv[i], v, 1);
    free(v);
  }
#undef READ_BLANK
#undef READ_SEP
  free(t.s);
  free(esc.s);
  return eof;
}

static int is_builtin(const char *name) {
  return strcmp(name, "cd") == 0 || strcmp(name, "exit") == 0 || strcmp(name, "export") == 0 ||
         strcmp(name, "unset") == 0 || strcmp(name, ":") == 0 || strcmp(name, "wait") == 0 ||
         strcmp(name, "test") == 0 || strcmp(name, "[") == 0 || strcmp(name, "break") == 0 ||
         strcmp(name, "continue") == 0 || strcmp(name, "shift") == 0 || strcmp(name, "true") == 0 ||
         strcmp(name, "false") == 0 || strcmp(name, "read") == 0 || strcmp(name, "return") == 0 ||
         strcmp(name, "eval") == 0 || strcmp(name, ".") == 0 || strcmp(name, "set") == 0 ||
         strcmp(name, "local") == 0 || strcmp(name, "exec") == 0 || strcmp(name, "command") == 0 ||
         strcmp(name, "type") == 0;
}

/* The special builtins, which a function of the same name does not hide. */
static int is_special(const char *name) {
  return strcmp(name, "break") == 0 || strcmp(name, "continue") == 0 || strcmp(name, "exit") == 0 ||
         strcmp(name, "export") == 0 || strcmp(name, "return") == 0 || strcmp(name, "shift") == 0 ||
         strcmp(name, "unset") == 0 || strcmp(name, ":") == 0 || strcmp(name, "eval") == 0 || strcmp(name, ".") == 0 ||
         strcmp(name, "set") == 0 || strcmp(name, "exec") == 0;
}

/* The functions running, and whether a return is on its way out of the innermost (with its status). */
static int func_depth, returning, return_status;

/* The variables `local` made in the functions running: name and the value to put back (NULL:
 * unset) when the function that made it returns. */
static struct localvar { char *name; char *old; } *locals;
static int nlocals;

/* local NAME[=VALUE]...: NAME belongs to the running function until it returns (its value
 * stays what it was, unless given). */
static int builtin_local(char **argv) {
  if (!func_depth) {
    fflush(stdout);
    fprintf(stderr, "%s: %d: local: not in a function\n", arg0, cur_line);
    if (!interactive) exit(2);
    return 2;
  }
  for (int i = 1; argv[i]; i++) {
    char *eq = strchr(argv[i], '=');
    char *name = eq ? strndup(argv[i], eq - argv[i]) : strdup(argv[i]);
    const char *v = getenv(name);
    locals = realloc(locals, (nlocals + 1) * sizeof *locals);
    locals[nlocals].name = name;
    locals[nlocals].old = v ? strdup(v) : NULL;
    nlocals++;
    if (eq) setenv(name, eq + 1, 1);
  }
  return 0;
}

static int is_reserved(const char *w);
static struct node *find_func(const char *name);

/* The file PATH finds for name (an executable regular file), in out; 0 when there is none. */
static int find_in_path(const char *name, char *out, int size) {
  struct stat st;
  if (strchr(name, '/')) {
    snprintf(out, size, "%s", name);
    return stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0;
  }
  const char *path = getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  while (*path) {
    const char *colon = strchr(path, ':');
    int n = colon ? (int)(colon - path) : (int)strlen(path);
    snprintf(out, size, "%.*s%s%s", n, path, n ? "/" : "", name);
    if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) return 1;
    path += n;
    if (*path == ':') path++;
  }
  return 0;
}

/* type NAME...: what each NAME is as a command, as dash says it; command -v NAME: its path, or
 * its name when it is a builtin, function or reserved word; 127 for one that is none of them. */
static int builtin_type(char **argv) {
  int verbose = strcmp(argv[0], "type") == 0, r = 0;
  char path[1024];
  if (!verbose) {
    if (!argv[1] || strcmp(argv[1], "-v") || !argv[2]) return 0;
    argv++;
  }
  for (int i = 1; argv[i]; i++) {
    const char *name = argv[i];
    if (strchr(name, '/') ? 0 : is_reserved(name) || find_func(name) || is_builtin(name)) {
      if (!verbose) printf("%s\n", name);
      else if (is_reserved(name)) printf("%s is a shell keyword\n", name);
      else if (find_func(name)) printf("%s is a shell function\n", name);
      else if (is_special(name)) printf("%s is a special shell builtin\n", name);
      else printf("%s is a shell builtin\n", name);
    } else if (find_in_path(name, path, sizeof path)) {
      if (verbose) printf("%s is %s\n", name, path);
      else printf("%s\n", path);
    } else {
      if (verbose) printf("%s: not found\n", name);
      r = 127;
    }
    if (!verbose) break;
  }
  return r;
}

/* Puts back the variables made local since mark. */
static void pop_locals(int mark) {
  while (nlocals > mark) {
    struct localvar *l = &locals[--nlocals];
    if (l->old) setenv(l->name, l->old, 1);
    else unsetenv(l->name);
    free(l->name);
    free(l->old);
  }
}

/* Sets -e -x -u from an option word (-ex, +x...); 0, or -1 for a letter it does not know. */
static int set_flags(const char *w) {
  int on = w[0] == '-';
  for (const char *o = w + 1; *o; o++) {
    if (*o == 'e') eflag = on;
    else if (*o == 'x') xflag = on;
    else if (*o == 'u') uflag = on;
    else {
      fflush(stdout);
      fprintf(stderr, "%s: %d: set: Illegal option %c%c\n", arg0, cur_line, w[0], *o);
      return -1;
    }
  }
  return 0;
}

static int env_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* set [-exu] [+exu] [--] [ARG...]: options, and the ARGs as $1...; no arguments: the variables. */
static int builtin_set(char **argv) {
  if (!argv[1]) {
    int n = 0;
    while (environ[n]) n++;
    char **v = malloc((n + 1) * sizeof *v);
    for (int i = 0; i < n; i++) v[i] = environ[i];
    qsort(v, n, sizeof *v, env_cmp);
    for (int i = 0; i < n; i++) {
      const char *eq = strchr(v[i], '=');
      if (!eq) continue;
      printf("%.*s='", (int)(eq - v[i]), v[i]);
      for (const char *c = eq + 1; *c; c++) { if (*c == '\'') fputs("'\"'\"'", stdout); else putchar(*c); }
      printf("'\n");
    }
    free(v);
    return 0;
  }
  int i = 1;
  for (; argv[i] && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
    if (!strcmp(argv[i], "--")) { i++; goto args; }
    if (set_flags(argv[i]) < 0) { if (!interactive) exit(2); return 2; }
  }
  if (!argv[i]) return 0;
args: {
    int n = 0;
    while (argv[i + n]) n++;
    char **v = malloc((n + 1) * sizeof *v);
    for (int k = 0; k < n; k++) v[k] = strdup(argv[i + k]);
    v[n] = NULL;
    posv = v;
    posc = n;
  }
  return 0;
}

static int run_text(const char *text, int line, int final);

/* The commands run so far (to tell whether some text ran any). */
static long commands_run;

/* Runs text (eval's, a . file's) in the middle of a command line being run: the line's tokens and
 * parser state are put aside meanwhile. The status of its last command, 0 if it had none. */
static int run_nested(const char *text, const char *ctx) {
  struct token *stoks = toks;
  int sntok = ntok, stokcap = tokcap, sP = P, seof = at_eof, sfinal = tok_final, sperr = perr;
  const char *sctx = syntax_ctx;
  long before = commands_run;
  toks = NULL;
  ntok = tokcap = 0;
  syntax_ctx = ctx;
  run_text(text, 1, 1);
  free_tokens();
  free(toks);
  toks = stoks;
  ntok = sntok;
  tokcap = stokcap;
  P = sP;
  at_eof = seof;
  tok_final = sfinal;
  perr = sperr;
  syntax_ctx = sctx;
  if (commands_run == before) last_status = 0;
  return last_status;
}

/* . FILE: its commands, run in this shell; a FILE without a / is looked for in PATH only. */
static int builtin_dot(char **argv) {
  if (!argv[1]) return 0;
  char path[1024];
  FILE *f = NULL;
  if (strchr(argv[1], '/')) {
    snprintf(path, sizeof path, "%s", argv[1]);
    f = fopen(path, "r");
    if (!f) { fflush(stdout); fprintf(stderr, "%s: %d: .: cannot open %s: No such file\n", arg0, cur_line, argv[1]); if (!interactive) exit(2); return 2; }
  } else {
    const char *dirs = getenv("PATH");
    if (!dirs) dirs = "/bin:/usr/bin";
    while (*dirs && !f) {
      const char *colon = strchr(dirs, ':');
      int n = colon ? (int)(colon - dirs) : (int)strlen(dirs);
      snprintf(path, sizeof path, "%.*s%s%s", n, dirs, n ? "/" : "", argv[1]);
      f = fopen(path, "r");
      dirs += n;
      if (*dirs == ':') dirs++;
    }
    if (!f) { fflush(stdout); fprintf(stderr, "%s: %d: .: %s: not found\n", arg0, cur_line, argv[1]); if (!interactive) exit(2); return 2; }
  }
  struct buf text = { 0, 0, 0 };
  bput(&text, 0);
  text.len = 0;
  char chunk[512];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) for (size_t i = 0; i < n; i++) bput(&text, chunk[i]);
  fclose(f);
  int r = run_nested(text.s, "");
  free(text.s);
  return r;
}

/* The loops running (break and continue count them), and how many a break or continue leaves. */
static int loop_depth, breaking, continuing;

/* A count argument of break, continue or shift: a positive number, else -1 after saying so. */
static long count_arg(const char *name, const char *arg, long min) {
  char *end;
  long k = strtol(arg, &end, 10);
  if (*arg && !*end && k >= min) return k;
  fflush(stdout);
  fprintf(stderr, "%s: %d: %s: Illegal number: %s\n", arg0, cur_line, name, arg);
  return -1;
}

static int run_builtin(struct cmd *c) {
  char **argv = c->argv;
  int argc = c->argc;
  if (strcmp(argv[0], ":") == 0 || strcmp(argv[0], "true") == 0) return 0;
  if (strcmp(argv[0], "false") == 0) return 1;
  if (strcmp(argv[0], "test") == 0 || strcmp(argv[0], "[") == 0) return builtin_test(argv, argc);
  if (strcmp(argv[0], "read") == 0) return builtin_read(argv);
  if (strcmp(argv[0], ".") == 0) return builtin_dot(argv);
  if (strcmp(argv[0], "set") == 0) return builtin_set(argv);
  if (strcmp(argv[0], "local") == 0) return builtin_local(argv);
  if (strcmp(argv[0], "type") == 0 || strcmp(argv[0], "command") == 0) return builtin_type(argv);
  if (strcmp(argv[0], "eval") == 0) {
    /* eval ARG...: the ARGs joined with spaces, run as a command line. */
    struct buf text = { 0, 0, 0 };
    bput(&text, 0);
    text.len = 0;
    for (int i = 1; argv[i]; i++) { if (i > 1) bput(&text, ' '); bputs(&text, argv[i]); }
    int r = run_nested(text.s, "eval: ");
    free(text.s);
    return r;
  }
  if (strcmp(argv[0], "break") == 0 || strcmp(argv[0], "continue") == 0) {
    /* break [N], continue [N]: out of (or on with) the Nth enclosing loop; nothing outside loops. */
    long k = argv[1] ? count_arg(argv[0], argv[1], 1) : 1;
    if (k < 0) { if (!interactive) exit(2); return 2; }
    if (k > loop_depth) k = loop_depth;
    if (argv[0][0] == 'b') breaking = (int)k;
    else continuing = (int)k;
    return 0;
  }
  if (strcmp(argv[0], "return") == 0) {
    /* return [N]: out of the function (N, else $?); outside one, out of the shell's commands. */
    long k = argv[1] ? count_arg("return", argv[1], 0) : last_status;
    if (k < 0) { if (!interactive) exit(2); return 2; }
    if (!func_depth && !interactive) { fflush(stdout); exit((int)(k & 0xff)); }
    if (func_depth) { returning = 1; return_status = (int)(k & 0xff); }
    return (int)(k & 0xff);
  }
  if (strcmp(argv[0], "shift") == 0) {
    long k = argv[1] ? count_arg("shift", argv[1], 0) : 1;
    if (k > posc) { fflush(stdout); fprintf(stderr, "%s: %d: shift: can't shift that many\n", arg0, cur_line); k = -1; }
    if (k < 0) { if (!interactive) exit(2); return 2; }
    posv += k;
    posc -= (int)k;
    return 0;
  }
  if (strcmp(argv[0], "cd") == 0) {
    const char *dir = argv[1] ? argv[1] : getenv("HOME");
    if (!dir) dir = "/";
    int print = 0;
    if (strcmp(dir, "-") == 0) { dir = getenv("OLDPWD"); print = 1; if (!dir) { fprintf(stderr, "sh: cd: OLDPWD not set\n"); return 1; } }
    char old[1024];
    if (!getcwd(old, sizeof old)) old[0] = 0;
    if (chdir(dir) < 0) { fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno)); return 1; }
    char cwd[1024];
    if (getcwd(cwd, sizeof cwd)) { setenv("PWD", cwd, 1); if (print) puts(cwd); }
    if (old[0]) setenv("OLDPWD", old, 1);
    return 0;
  }
  if (strcmp(argv[0], "exit") == 0) {
    fflush(stdout);
    exit(argv[1] ? atoi(argv[1]) & 0xff : last_status);
  }
  if (strcmp(argv[0], "export") == 0) {
    for (int i = 1; argv[i]; i++) {
      if (strchr(argv[i], '=')) set_assign(argv[i]);
      else if (!getenv(argv[i])) setenv(argv[i], "", 1);
    }
    if (!argv[1]) for (char **e = environ; *e; e++) printf("export %s\n", *e);
    return 0;
  }
  if (strcmp(argv[0], "unset") == 0) {
    for (int i = 1; argv[i]; i++) unsetenv(argv[i]);
    return 0;
  }
  if (strcmp(argv[0], "wait") == 0) {
    /* wait: every background command; wait PID...: those, the status of the last (127 if unknown).
     * A ^C while waiting returns 130. */
    int st = 0, r = 0;
    for (int i = 1; argv[i] || i == 1; i++) {
      pid_t pid = argv[i] ? (pid_t)atoi(argv[i]) : -1;
      pid_t w;
      while ((w = waitpid(pid, &st, 0)) != 0) {
        if (w < 0 && errno == EINTR) {
          if (got_sigint) { got_sigint = 0; return 130; }
          continue;
        }
        if (w < 0 || pid > 0) break;
      }
      if (pid > 0) r = w < 0 ? 127 : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
      if (!argv[i]) break;
    }
    return r;
  }
  return 1;
}

/* execve with a PATH search; returns only on failure, with the exit status to use. */
static int exec_path(char **argv) {
  if (strchr(argv[0], '/')) {
    execve(argv[0], argv, environ);
    int e = errno;
    fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(e));
    return e == ENOENT ? 127 : 126;
  }
  const char *path = getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  char full[1024];
  int denied = 0;
  while (*path) {
    const char *colon = strchr(path, ':');
    int n = colon ? (int)(colon - path) : (int)strlen(path);
    if (n == 0) snprintf(full, sizeof full, "%s", argv[0]);
    else snprintf(full, sizeof full, "%.*s/%s", n, path, argv[0]);
    execve(full, argv, environ);
    if (errno == EACCES) denied = 1;
    path += n;
    if (*path == ':') path++;
  }
  if (denied) { fprintf(stderr, "sh: %s: Permission denied\n", argv[0]); return 126; }
  fprintf(stderr, "sh: %s: command not found\n", argv[0]);
  return 127;
}

/* A command of the line being run died of the terminal's ^C (and the line ended for it). */
static int child_sigint;

static int status_of(int st) {
  if (WIFSIGNALED(st)) {
    int sig = WTERMSIG(st);
    if (sig != 13 && sig != 2) fprintf(stderr, "%s%s\n", strsignal(sig), WCOREDUMP(st) ? " (core dumped)" : "");
    else if (sig == 2 && interactive) { fputc('\n', stderr); child_sigint = 1; } /* after the terminal's ^C */
    return 128 + sig;
  }
  return WEXITSTATUS(st);
}


/* ---- running the tree ---- */

static int exec_node(struct node *n);

/* Whether the commands left in a list are skipped: a break or continue is on its way out, or ^C. */
static int aborted(void) { return breaking || continuing || returning || (interactive && got_sigint); }

static void restore_redirs(int *save);

/* A command's VAR=value assignments for the time a builtin or function runs: the values they
 * replace (NULL: unset), for pop_assigns. */
static char **push_assigns(struct cmd *c) {
  char **old = malloc((c->nassign + 1) * sizeof *old);
  for (int i = 0; i < c->nassign; i++) {
    char *eq = strchr(c->assigns[i], '=');
    *eq = 0;
    const char *v = getenv(c->assigns[i]);
    old[i] = v ? strdup(v) : NULL;
    *eq = '=';
    set_assign(c->assigns[i]);
  }
  return old;
}

static void pop_assigns(struct cmd *c, char **old) {
  for (int i = c->nassign - 1; i >= 0; i--) {
    char *eq = strchr(c->assigns[i], '=');
    *eq = 0;
    if (old[i]) setenv(c->assigns[i], old[i], 1);
    else unsetenv(c->assigns[i]);
    *eq = '=';
    free(old[i]);
  }
  free(old);
}

/* The functions defined: their names and bodies. */
static struct func { char *name; struct node *body; } *funcs;
static int nfuncs;

static struct node *find_func(const char *name) {
  for (int i = 0; i < nfuncs; i++) if (strcmp(funcs[i].name, name) == 0) return funcs[i].body;
  return NULL;
}

static void define_func(struct node *n) {
  for (int i = 0; i < nfuncs; i++) {
    if (strcmp(funcs[i].name, n->name) == 0) {
      /* The old body is left (not freed): it may be the one running. */
      funcs[i].body = dup_node(n->a);
      return;
    }
  }
  funcs = realloc(funcs, (nfuncs + 1) * sizeof *funcs);
  funcs[nfuncs].name = strdup(n->name);
  funcs[nfuncs].body = dup_node(n->a);
  nfuncs++;
}

/* Runs a function with the command's words as $1...: its status, that of a return in it. */
static int call_func(struct node *body, struct cmd *c) {
  int save[10];
  for (int i = 0; i < 10; i++) save[i] = -2;
  if (apply_redirs(c, save) < 0) { restore_redirs(save); return 1; }
  char **assigned = push_assigns(c);
  char **oposv = posv;
  int oposc = posc, odepth = loop_depth;
  posv = c->argv + 1;
  posc = c->argc - 1;
  loop_depth = 0;
  func_depth++;
  int local_mark = nlocals;
  int st = exec_node(body);
  pop_locals(local_mark);
  if (returning) { returning = 0; st = return_status; }
  func_depth--;
  loop_depth = odepth;
  posv = oposv;
  posc = oposc;
  pop_assigns(c, assigned);
  fflush(stdout);
  restore_redirs(save);
  return st;
}

/* A here-document's text with $ expansions, and \ before $ ` \ and newline taken away. */
static char *expand_heredoc(const char *p) {
  struct buf b = { 0, 0, 0 };
  bput(&b, 0);
  b.len = 0;
  while (*p) {
    if (*p == '\\' && p[1] == '\n') p += 2;
    else if (*p == '\\' && (p[1] == '$' || p[1] == '`' || p[1] == '\\')) { bput(&b, p[1]); p += 2; }
    else if (*p == '$') p = expand_dollar(p + 1, &b);
    else if (*p == '`' && bq_end(p)) { backquote_subst(p + 1, bq_end(p), &b, 0); p = bq_end(p) + 1; }
    else bput(&b, *p++);
  }
  return b.s;
}

/* set -x: the command about to run, expanded, on standard error after "+ ". */
static void xtrace(struct cmd *c) {
  if (!xflag || (c->argc == 0 && c->nassign == 0)) return;
  fflush(stdout);
  fputc('+', stderr);
  for (int i = 0; i < c->nassign; i++) fprintf(stderr, " %s", c->assigns[i]);
  for (int i = 0; i < c->argc; i++) fprintf(stderr, " %s", c->argv[i]);
  fputc('\n', stderr);
}

/* Expands a simple command's words and redirection targets into c (strings in scratch). */
static void expand_cmd(struct node *n, struct cmd *c) {
  int q;
  c->argc = c->nassign = c->nredir = 0;
  for (int i = 0; i < n->nwords; i++) {
    if (i < n->nassign) c->assigns[c->nassign++] = expanded(n->words[i], &q, 0);
    else add_fields(n->words[i], c->argv, &c->argc);
  }
  c->argv[c->argc] = NULL;
  for (int i = 0; i < n->nredir; i++) {
    c->redirs[i] = n->redirs[i];
    if (n->redirs[i].type == R_HEREDOC_RAW) c->redirs[i].target = n->redirs[i].target;
    else if (n->redirs[i].type == R_HEREDOC) { c->redirs[i].target = expand_heredoc(n->redirs[i].target); keep(c->redirs[i].target); }
    else c->redirs[i].target = expanded(n->redirs[i].target, &q, 0);
  }
  c->nredir = n->nredir;
}

static void restore_redirs(int *save) {
  for (int i = 0; i < 10; i++) if (save[i] != -2) { if (save[i] >= 0) { dup2(save[i], i); close(save[i]); } else close(i); }
}

static int wait_status(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) if (errno != EINTR) return 127;
  return status_of(st);
}

/* command CMD ARGS: CMD runs as a builtin or program, not a function: the word `command` is taken
 * off; returns 1 when it was there. */
static int skip_command_word(struct cmd *c) {
  if (strcmp(c->argv[0], "command") || c->argc < 2 || c->argv[1][0] == '-') return 0;
  memmove(c->argv, c->argv + 1, c->argc * sizeof *c->argv);
  c->argc--;
  return 1;
}

/* Runs an expanded simple command from the shell: builtins and assignments in it, others forked. */
static int run_cmd(struct cmd *c) {
  int save[10];
  for (int i = 0; i < 10; i++) save[i] = -2;
  if (c->argc == 0) {
    /* Only assignments and redirections. */
    for (int i = 0; i < c->nassign; i++) set_assign(c->assigns[i]);
    int r = apply_redirs(c, save);
    restore_redirs(save);
    return r < 0 ? 1 : subst_status;
  }
  int no_func = skip_command_word(c);
  struct node *f = no_func || is_special(c->argv[0]) ? NULL : find_func(c->argv[0]);
  if (f) return call_func(f, c);
  if (strcmp(c->argv[0], "exec") == 0) {
    /* exec: its redirections stay; exec CMD: CMD replaces the shell. */
    fflush(stdout);
    if (apply_redirs(c, NULL) < 0) { if (!interactive) exit(1); return 1; }
    if (c->argc == 1) return 0;
    for (int i = 0; i < c->nassign; i++) set_assign(c->assigns[i]);
    default_signals();
    char *name = c->argv[1];
    int st = strchr(name, '/') ? 126 : 127;
    if (!strchr(name, '/')) {
      /* exec_path says "command not found"; dash's exec says "exec: NAME: not found". */
      const char *path = getenv("PATH");
      char full[1024];
      if (!path) path = "/bin:/usr/bin";
      while (*path) {
        const char *colon = strchr(path, ':');
        int n = colon ? (int)(colon - path) : (int)strlen(path);
        snprintf(full, sizeof full, "%.*s%s%s", n, path, n ? "/" : "", name);
        execve(full, c->argv + 1, environ);
        if (errno == EACCES) st = 126;
        path += n;
        if (*path == ':') path++;
      }
      fprintf(stderr, "%s: %d: exec: %s: %s\n", arg0, cur_line, name, st == 126 ? "Permission denied" : "not found");
    } else st = exec_path(c->argv + 1);
    exit(st);
  }
  if (is_builtin(c->argv[0])) {
    /* A special builtin's assignments stay; another's last while it runs (IFS=: read ...). */
    fflush(stdout);
    char **assigned = NULL;
    if (is_special(c->argv[0])) for (int i = 0; i < c->nassign; i++) set_assign(c->assigns[i]);
    else assigned = push_assigns(c);
    int r = apply_redirs(c, save) < 0 ? 1 : run_builtin(c);
    if (assigned) pop_assigns(c, assigned);
    fflush(stdout);
    restore_redirs(save);
    return r;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) { perror("sh: fork"); return 1; }
  if (pid == 0) {
    default_signals();
    for (int a = 0; a < c->nassign; a++) set_assign(c->assigns[a]);
    if (apply_redirs(c, NULL) < 0) _exit(1);
    _exit(exec_path(c->argv));
  }
  return wait_status(pid);
}

/* In a child of the shell (a pipeline's command, a background one, a subshell): runs n and
 * returns the status to exit with; a simple command that is not a builtin replaces the child
 * (exec), and so does the command a list ends with, as dash runs it (EV_EXIT): `cd d && prog &`
 * leaves $! the pid prog runs as. */
static int run_in_child(struct node *n) {
  if (n->type == N_AND || n->type == N_OR) {
    cond_depth++;
    int st = exec_node(n->a);
    cond_depth--;
    if (aborted() || (st == 0) != (n->type == N_AND)) return st;
    return run_in_child(n->b);
  }
  if (n->type == N_SEQ) {
    exec_node(n->a);
    if (aborted()) return last_status;
    return run_in_child(n->b);
  }
  if (n->type == N_SIMPLE) {
    struct cmd c;
    cur_line = n->line;
    subst_status = 0;
    expand_cmd(n, &c);
    xtrace(&c);
    for (int a = 0; a < c.nassign; a++) set_assign(c.assigns[a]);
    if (apply_redirs(&c, NULL) < 0) return 1;
    if (c.argc == 0) return subst_status;
    int no_func = skip_command_word(&c);
    struct node *f = no_func || is_special(c.argv[0]) ? NULL : find_func(c.argv[0]);
    if (f) { int r = call_func(f, &c); fflush(stdout); return r; }
    if (strcmp(c.argv[0], "exec") == 0) return c.argc > 1 ? exec_path(c.argv + 1) : 0;
    if (is_builtin(c.argv[0])) { int r = run_builtin(&c); fflush(stdout); return r; }
    fflush(stdout);
    return exec_path(c.argv);
  }
  exec_node(n);
  fflush(stdout);
  return last_status;
}

static int run_pipe(struct node *n) {
  int status;
  if (n->nkids == 1) {
    cond_depth += n->bang;
    status = exec_node(n->kids[0]);
    cond_depth -= n->bang;
  }
  else {
    pid_t *pids = malloc(n->nkids * sizeof *pids);
    int in = -1;
    fflush(stdout);
    fflush(stderr);
    for (int i = 0; i < n->nkids; i++) {
      int pfd[2] = { -1, -1 };
      if (i < n->nkids - 1 && pipe(pfd) < 0) { perror("sh: pipe"); n->nkids = i; break; }
      pid_t pid = fork();
      if (pid < 0) { perror("sh: fork"); n->nkids = i; break; }
      if (pid == 0) {
        default_signals();
        if (in >= 0) { dup2(in, 0); close(in); }
        if (pfd[1] >= 0) { dup2(pfd[1], 1); close(pfd[1]); close(pfd[0]); }
        _exit(run_in_child(n->kids[i]));
      }
      pids[i] = pid;
      if (in >= 0) close(in);
      if (pfd[1] >= 0) close(pfd[1]);
      in = pfd[0];
    }
    if (in >= 0) close(in);
    status = 1;
    for (int i = 0; i < n->nkids; i++) {
      int st = wait_status(pids[i]);
      if (i == n->nkids - 1) status = st;
    }
    free(pids);
  }
  return n->bang ? status == 0 : status;
}

/* CMD &: a child runs it with SIGINT and SIGQUIT ignored and standard input from /dev/null (as
 * POSIX has it without job control); $! is its pid, and the shell goes on. */
static int run_bg(struct node *n) {
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) { perror("sh: fork"); return 1; }
  if (pid > 0) { last_bg = pid; return 0; }
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  interactive = 0;
  int fd = open("/dev/null", O_RDONLY);
  if (fd > 0) { dup2(fd, 0); close(fd); }
  _exit(run_in_child(n->a));
}

/* A loop body has run (or its condition): 1 when the loop stops there for a break, continue N or ^C. */
static int loop_stops(void) {
  if (returning) return 1;
  if (breaking) { breaking--; return 1; }
  if (continuing) return --continuing > 0;
  return interactive && got_sigint;
}

static int run_compound(struct node *n) {
  int st = 0;
  switch (n->type) {
  case N_GROUP:
    return exec_node(n->a);
  case N_SUB: {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) { perror("sh: fork"); return 1; }
    if (pid == 0) {
      default_signals();
      loop_depth = 0;
      int st = run_in_child(n->a);
      fflush(stdout);
      _exit(st);
    }
    return wait_status(pid);
  }
  case N_IF:
    cond_depth++;
    exec_node(n->a);
    cond_depth--;
    if (aborted()) return last_status;
    if (last_status == 0) return exec_node(n->b);
    return n->c ? exec_node(n->c) : 0;
  case N_WHILE:
  case N_UNTIL:
    loop_depth++;
    for (;;) {
      cond_depth++;
      int cond = exec_node(n->a);
      cond_depth--;
      if (aborted()) { if (loop_stops()) break; continue; }
      if ((cond == 0) != (n->type == N_WHILE)) break;
      st = exec_node(n->b);
      if (loop_stops()) break;
    }
    loop_depth--;
    return st;
  case N_CASE: {
    /* The first item with a pattern the word matches runs; a quoted pattern matches as a string. */
    int q, mark = nscratch;
    cur_line = n->line;
    char *word = expanded(n->words[0], &q, 0);
    for (int i = 0; i < n->nkids; i++) {
      struct node *item = n->kids[i];
      for (int k = 0; k < item->nwords; k++) {
        const char *raw = item->words[k];
        char *pat = expanded(raw, &q, 0);
        if (strpbrk(raw, "'\"\\") ? strcmp(pat, word) == 0 : fnmatch_simple(pat, word)) {
          st = item->a ? exec_node(item->a) : 0;
          free_scratch(mark);
          return st;
        }
      }
    }
    free_scratch(mark);
    return 0;
  }
  case N_FOR: {
    char *argv[MAXARGS];
    int argc = 0, mark = nscratch;
    if (n->has_in) {
      cur_line = n->line;
      for (int i = 0; i < n->nwords; i++) add_fields(n->words[i], argv, &argc);
    } else {
      for (int i = 0; i < posc && argc < MAXARGS - 1; i++) argv[argc++] = posv[i];
    }
    loop_depth++;
    for (int i = 0; i < argc; i++) {
      setenv(n->name, argv[i], 1);
      st = exec_node(n->b);
      if (loop_stops()) break;
    }
    loop_depth--;
    free_scratch(mark);
    return st;
  }
  }
  return 0;
}

/* Runs a node of the tree in the shell; its status, also in $?. */
static int exec_node(struct node *n) {
  int st = 0;
  commands_run++;
  switch (n->type) {
  case N_SIMPLE: {
    struct cmd c;
    int mark = nscratch;
    cur_line = n->line;
    subst_status = 0;
    expand_cmd(n, &c);
    xtrace(&c);
    st = run_cmd(&c);
    free_scratch(mark);
    break;
  }
  case N_PIPE: st = run_pipe(n); break;
  case N_AND:
  case N_OR:
    cond_depth++;
    st = exec_node(n->a);
    cond_depth--;
    if (!aborted() && (st == 0) == (n->type == N_AND)) st = exec_node(n->b);
    break;
  case N_SEQ:
    st = exec_node(n->a);
    if (!aborted()) st = exec_node(n->b);
    break;
  case N_BG: st = run_bg(n); break;
  case N_FUNC: define_func(n); st = 0; break;
  default:
    if (n->nredir) {
      /* A compound command's redirections hold for all of it. */
      struct cmd c;
      int mark = nscratch, save[10];
      for (int i = 0; i < 10; i++) save[i] = -2;
      c.argc = c.nassign = 0;
      c.argv[0] = NULL;
      struct node shell = *n;
      shell.nwords = 0;
      shell.nassign = 0;
      cur_line = n->line;
      expand_cmd(&shell, &c);
      fflush(stdout);
      if (apply_redirs(&c, save) < 0) st = 1;
      else st = run_compound(n);
      fflush(stdout);
      restore_redirs(save);
      free_scratch(mark);
    } else st = run_compound(n);
  }
  last_status = st;
  /* set -e: a failing command ends the shell, unless a condition tests it. */
  if (eflag && st && !cond_depth && !aborted() && (n->type == N_SIMPLE || n->type == N_SUB || (n->type == N_PIPE && !n->bang))) {
    fflush(stdout);
    exit(st);
  }
  return st;
}
static void prompt(void) {
  char host[65] = "ksim";
  struct utsname u;
  if (uname(&u) == 0) snprintf(host, sizeof host, "%s", u.nodename);
  const char *user = getenv("USER");
  if (!user) user = getuid() == 0 ? "root" : "user";
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "?");
  const char *home = getenv("HOME");
  int hl = home ? (int)strlen(home) : 0;
  if (hl > 1 && strncmp(cwd, home, hl) == 0 && (cwd[hl] == 0 || cwd[hl] == '/')) printf("%s@%s:~%s%s ", user, host, cwd + hl, geteuid() == 0 ? "#" : "$");
  else printf("%s@%s:%s%s ", user, host, cwd, geteuid() == 0 ? "#" : "$");
  fflush(stdout);
}

/* Reads a line from the terminal with read(2), a byte at a time (stdio would retry after ^C and
 * would keep typed-ahead lines from the commands): its length, -1 at end of input, -2 after ^C. */
static long read_terminal_line(char **line, size_t *cap) {
  size_t n = 0;
  for (;;) {
    if (n + 2 > *cap) {
      *cap = *cap ? *cap * 2 : 256;
      *line = realloc(*line, *cap);
    }
    long k = read(0, *line + n, 1);
    if (k < 0 && errno == EINTR && got_sigint) { got_sigint = 0; return -2; }
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) { (*line)[n] = 0; return n ? (long)n : -1; }
    if ((*line)[n++] == '\n') { (*line)[n] = 0; return (long)n; }
  }
}


/* ---- reading and running command text ---- */

/* Parses the complete commands of text (its first line numbered line) one at a time, running each
 * once it is parsed, as dash does. Returns 1 when the text ends inside a command (with !final, and
 * nothing run: more lines are needed), else 0. A syntax error ends a shell that is not interactive. */
static int run_text(const char *text, int line, int final) {
  tok_final = final;
  if (tokenize(text, line) < 0 && (!final || tok_open == 3)) {
    if (!final) return 1;
  } else if (tok_open) {
    perr = 0;
    syntax_msg(tok_line, tok_open == 1 ? "Unterminated quoted string" : tok_open == 4 ? "Missing '))'" : tok_open == 6 ? "EOF in backquote substitution" : tok_open == 7 ? "Missing '}'" : "end of file unexpected (expecting \")\")");
    goto error;
  }
  at_eof = final;
  P = 0;
  for (;;) {
    linebreak();
    if (toks[P].type == T_END) break;
    perr = 0;
    struct node *n = parse_list(1);
    if (perr == 2) return 1;
    if (perr) goto error;
    child_sigint = 0;
    exec_node(n);
    free_node(n);
    fflush(stdout);
    if (interactive && got_sigint) {
      /* ^C stopped the line (a loop of builtins, say): the rest of it is dropped, $? is 130. */
      if (!child_sigint) fputc('\n', stderr);
      last_status = 130;
      break;
    }
  }
  return 0;
error:
  last_status = 2;
  if (!interactive) { fflush(stdout); exit(2); }
  return 0;
}

/* sh -c TEXT, and $(TEXT) in the child shell. */
static void run_string(const char *text) {
  run_text(text, 1, 1);
}


static int set_flags(const char *w);

int main(int argc, char **argv) {
  FILE *in = stdin;
  /* Leading -e -x -u options (sh -ex script), as set takes them. */
  while (argc > 1 && (argv[1][0] == '-' || argv[1][0] == '+') && argv[1][1] && strspn(argv[1] + 1, "exu") == strlen(argv[1] + 1)) {
    set_flags(argv[1]);
    argv++;
    argc--;
  }
  if (argc > 2 && strcmp(argv[1], "-c") == 0) {
    /* sh -c TEXT [NAME [ARG...]]: NAME is $0, the ARGs $1... */
    if (argc > 3) arg0 = argv[3];
    posv = argv + 4;
    posc = argc > 4 ? argc - 4 : 0;
    run_string(argv[2]);
    fflush(stdout);
    return last_status;
  }
  if (argc > 1 && strcmp(argv[1], "-i") == 0) interactive = 1;
  else if (argc > 1) {
    in = fopen(argv[1], "r");
    if (!in) { fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno)); return 127; }
    arg0 = argv[1];
    posv = argv + 2;
    posc = argc - 2;
  } else interactive = isatty(0);
  if (interactive) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint; /* no SA_RESTART: a read at the prompt ends with EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
  }
  char *line = NULL;
  size_t cap = 0;
  /* The text of the command being read, which may take several lines; its first line's number. */
  struct buf text = { 0, 0, 0 };
  int line_no = 1, text_line = 1;
  for (;;) {
    if (interactive && in == stdin) {
      int st;
      while (waitpid(-1, &st, WNOHANG) > 0) {} /* background commands that ended */
      if (text.len) { printf("> "); fflush(stdout); }
      else prompt();
      long r = read_terminal_line(&line, &cap);
      if (r == -2) { fputc('\n', stdout); text.len = 0; continue; }
      if (r < 0) break;
      got_sigint = 0;
    } else {
      if (interactive) { if (text.len) { printf("> "); fflush(stdout); } else prompt(); }
      if (getline(&line, &cap, in) < 0) break;
    }
    if (!text.len) text_line = line_no;
    bputs(&text, line);
    line_no++;
    if (run_text(text.s, text_line, 0)) continue; /* not complete: read on */
    fflush(stdout);
    text.len = 0;
  }
  if (text.len) run_text(text.s, text_line, 1);
  if (interactive) printf("exit\n");
  free(line);
  return last_status;
}

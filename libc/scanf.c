/* scanf.c: the scanf family over a string or a stream. Conversions d i u o x X p c s [set] n %
 * and f e g a (any case), with assignment suppression (*), widths and the length modifiers
 * hh h l ll q j z t L. Numbers are scanned greedily with one character of look-ahead (as C
 * specifies) and converted by strtoll/strtoull/strtod. */
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdint.h>

struct source {
  FILE *file;        /* read from here when set */
  const char *str;   /* else from this string */
  size_t consumed;   /* characters taken so far (for %n) */
};

static int next_char(struct source *in) {
  int c;
  if (in->file)
    c = fgetc(in->file);
  else
    c = in->str[in->consumed] ? (unsigned char)in->str[in->consumed] : EOF;
  if (c != EOF)
    in->consumed++;
  return c;
}

static void push_back(struct source *in, int c) {
  if (c == EOF)
    return;
  in->consumed--;
  if (in->file)
    ungetc(c, in->file);
}

/* Skips white space; returns the first other character (already pushed back) or EOF. */
static int skip_space(struct source *in) {
  int c;
  do
    c = next_char(in);
  while (c != EOF && isspace(c));
  push_back(in, c);
  return c;
}

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T, LEN_BIG_L };

#define TOKEN_MAX 512

/* Collects an integer's characters in base (0: by prefix) into token; returns its length. */
static int scan_integer_token(struct source *in, char *token, int width, int base) {
  int len = 0, c = next_char(in);
  if (len < width && (c == '+' || c == '-')) {
    token[len++] = (char)c;
    c = next_char(in);
  }
  if (len < width && c == '0' && (base == 0 || base == 16)) {
    token[len++] = (char)c;
    c = next_char(in);
    if (len < width && (c == 'x' || c == 'X')) {
      token[len++] = (char)c;
      c = next_char(in);
      base = 16;
    } else if (base == 0) {
      base = 8;
    }
  }
  if (base == 0)
    base = 10;
  while (len < width && len < TOKEN_MAX - 1 && c != EOF) {
    int d = isdigit(c) ? c - '0' : isalpha(c) ? tolower(c) - 'a' + 10 : 99;
    if (d >= base)
      break;
    token[len++] = (char)c;
    c = next_char(in);
  }
  push_back(in, c);
  token[len] = 0;
  return len;
}

/* Collects a floating-point number's characters (decimal or hex, inf, nan) into token. */
static int scan_float_token(struct source *in, char *token, int width) {
  int len = 0, c = next_char(in), hex = 0, digits = 0;
  if (len < width && (c == '+' || c == '-')) {
    token[len++] = (char)c;
    c = next_char(in);
  }
  if (c == 'i' || c == 'I' || c == 'n' || c == 'N') {
    while (len < width && len < TOKEN_MAX - 1 && c != EOF && isalpha(c)) {
      token[len++] = (char)c;
      c = next_char(in);
    }
    push_back(in, c);
    token[len] = 0;
    return len;
  }
  if (len < width && c == '0') {
    token[len++] = (char)c;
    digits = 1;
    c = next_char(in);
    if (len < width && (c == 'x' || c == 'X')) {
      token[len++] = (char)c;
      c = next_char(in);
      hex = 1;
    }
  }
  while (len < width && len < TOKEN_MAX - 1 && c != EOF && (hex ? isxdigit(c) : isdigit(c))) {
    token[len++] = (char)c;
    digits = 1;
    c = next_char(in);
  }
  if (len < width && c == '.') {
    token[len++] = (char)c;
    c = next_char(in);
    while (len < width && len < TOKEN_MAX - 1 && c != EOF && (hex ? isxdigit(c) : isdigit(c))) {
      token[len++] = (char)c;
      digits = 1;
      c = next_char(in);
    }
  }
  if (digits && len < width && (hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E'))) {
    token[len++] = (char)c;
    c = next_char(in);
    if (len < width && (c == '+' || c == '-')) {
      token[len++] = (char)c;
      c = next_char(in);
    }
    while (len < width && len < TOKEN_MAX - 1 && c != EOF && isdigit(c)) {
      token[len++] = (char)c;
      c = next_char(in);
    }
  }
  push_back(in, c);
  token[len] = 0;
  return digits ? len : 0;
}

static void store_signed(void *target, enum length length, long long v) {
  switch (length) {
  case LEN_HH: *(signed char *)target = (signed char)v; break;
  case LEN_H: *(short *)target = (short)v; break;
  case LEN_L: *(long *)target = (long)v; break;
  case LEN_LL:
  case LEN_BIG_L: *(long long *)target = v; break;
  case LEN_J: *(intmax_t *)target = v; break;
  case LEN_Z: *(ssize_t *)target = (ssize_t)v; break;
  case LEN_T: *(ptrdiff_t *)target = (ptrdiff_t)v; break;
  default: *(int *)target = (int)v; break;
  }
}

/* Parses a %[...] set starting after '['; fills allowed[256]; returns the position after ']'. */
static const char *parse_scanset(const char *fmt, char *allowed) {
  int negate = 0, i;
  memset(allowed, 0, 256);
  if (*fmt == '^') {
    negate = 1;
    fmt++;
  }
  if (*fmt == ']') {
    allowed[']'] = 1;
    fmt++;
  }
  for (; *fmt && *fmt != ']'; fmt++) {
    if (fmt[1] == '-' && fmt[2] && fmt[2] != ']') {
      for (i = (unsigned char)fmt[0]; i <= (unsigned char)fmt[2]; i++)
        allowed[i] = 1;
      fmt += 2;
    } else {
      allowed[(unsigned char)*fmt] = 1;
    }
  }
  if (negate)
    for (i = 0; i < 256; i++)
      allowed[i] = !allowed[i];
  return *fmt ? fmt + 1 : fmt;
}

static int scan(struct source *in, const char *fmt, va_list ap) {
  int assigned = 0, matched_any = 0;

  while (*fmt) {
    int suppress = 0, width = -1, c;
    enum length length = LEN_NONE;
    char conv;
    void *target = NULL;

    if (isspace((unsigned char)*fmt)) {
      skip_space(in);
      fmt++;
      continue;
    }
    if (*fmt != '%' || fmt[1] == '%') {
      if (*fmt == '%') {
        skip_space(in);
        fmt++;
      }
      c = next_char(in);
      if (c != (unsigned char)*fmt) {
        push_back(in, c);
        return c == EOF && !matched_any ? EOF : assigned;
      }
      fmt++;
      continue;
    }
    fmt++;
    if (*fmt == '*') {
      suppress = 1;
      fmt++;
    }
    if (isdigit((unsigned char)*fmt)) {
      width = 0;
      while (isdigit((unsigned char)*fmt))
        width = width * 10 + (*fmt++ - '0');
    }
    switch (*fmt) {
    case 'h': length = fmt[1] == 'h' ? LEN_HH : LEN_H; fmt += length == LEN_HH ? 2 : 1; break;
    case 'l': length = fmt[1] == 'l' ? LEN_LL : LEN_L; fmt += length == LEN_LL ? 2 : 1; break;
    case 'q': length = LEN_LL; fmt++; break;
    case 'L': length = LEN_BIG_L; fmt++; break;
    case 'j': length = LEN_J; fmt++; break;
    case 'z': length = LEN_Z; fmt++; break;
    case 't': length = LEN_T; fmt++; break;
    }
    conv = *fmt++;
    if (!suppress && conv != '%')
      target = va_arg(ap, void *);

    if (conv == 'n') {
      if (target)
        store_signed(target, length, (long long)in->consumed);
      continue;
    }
    if (conv != 'c' && conv != '[' && skip_space(in) == EOF)
      return matched_any ? assigned : EOF;

    switch (conv) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p': {
      char token[TOKEN_MAX];
      int base = conv == 'd' || conv == 'u' ? 10 : conv == 'i' ? 0 : conv == 'o' ? 8 : 16;
      int len = scan_integer_token(in, token, width < 0 ? TOKEN_MAX - 1 : width, base);
      char *end;
      if (len == 0 || (len == 1 && (token[0] == '+' || token[0] == '-')))
        return assigned;
      matched_any = 1;
      if (!target)
        break;
      if (conv == 'p') {
        *(void **)target = (void *)(uintptr_t)strtoull(token, &end, 16);
      } else if (conv == 'd' || conv == 'i') {
        store_signed(target, length, strtoll(token, &end, base));
      } else {
        store_signed(target, length, (long long)strtoull(token, &end, base));
      }
      assigned++;
      break;
    }
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
      char token[TOKEN_MAX];
      double v;
      if (scan_float_token(in, token, width < 0 ? TOKEN_MAX - 1 : width) == 0)
        return assigned;
      matched_any = 1;
      v = strtod(token, NULL);
      if (!target)
        break;
      if (length == LEN_L)
        *(double *)target = v;
      else if (length == LEN_BIG_L)
        *(long double *)target = v;
      else
        *(float *)target = (float)v;
      assigned++;
      break;
    }
    case 's': {
      char *out = target;
      int n = 0;
      c = next_char(in);
      while (c != EOF && !isspace(c) && (width < 0 || n < width)) {
        if (out)
          out[n] = (char)c;
        n++;
        c = next_char(in);
      }
      push_back(in, c);
      if (out) {
        out[n] = 0;
        assigned++;
      }
      matched_any = 1;
      break;
    }
    case 'c': {
      char *out = target;
      int n, count = width < 0 ? 1 : width;
      for (n = 0; n < count; n++) {
        c = next_char(in);
        if (c == EOF)
          return matched_any || n ? assigned : EOF;
        if (out)
          out[n] = (char)c;
      }
      if (out)
        assigned++;
      matched_any = 1;
      break;
    }
    case '[': {
      char allowed[256];
      char *out = target;
      int n = 0;
      fmt = parse_scanset(fmt, allowed);
      c = next_char(in);
      while (c != EOF && allowed[c] && (width < 0 || n < width)) {
        if (out)
          out[n] = (char)c;
        n++;
        c = next_char(in);
      }
      push_back(in, c);
      if (n == 0)
        return c == EOF && !matched_any ? EOF : assigned;
      if (out) {
        out[n] = 0;
        assigned++;
      }
      matched_any = 1;
      break;
    }
    default:
      return assigned;
    }
  }
  return assigned;
}

int vsscanf(const char *s, const char *fmt, va_list ap) {
  struct source in;
  in.file = NULL;
  in.str = s;
  in.consumed = 0;
  return scan(&in, fmt, ap);
}

int vfscanf(FILE *f, const char *fmt, va_list ap) {
  struct source in;
  in.file = f;
  in.str = NULL;
  in.consumed = 0;
  return scan(&in, fmt, ap);
}

int vscanf(const char *fmt, va_list ap) {
  return vfscanf(stdin, fmt, ap);
}

int sscanf(const char *s, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsscanf(s, fmt, ap);
  va_end(ap);
  return n;
}

int fscanf(FILE *f, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vfscanf(f, fmt, ap);
  va_end(ap);
  return n;
}

int scanf(const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vfscanf(stdin, fmt, ap);
  va_end(ap);
  return n;
}

/* getopt.c: getopt(3) for short options, step for step as glibc's, so optind, optopt and argv
 * match at every call: operands between options are skipped and later swapped behind the options
 * (glibc's PERMUTE order), "--" ends the options, '+' in front of optstring (or POSIXLY_CORRECT)
 * stops at the first operand, '-' returns operands as option 1, ':' reports a missing argument as
 * ':' and silences messages. Setting optind to 0 restarts the scan. */
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *optarg;
int optind = 1, opterr = 1, optopt = '?';

enum ordering { REQUIRE_ORDER, PERMUTE, RETURN_IN_ORDER };

/* The scan's state, kept between calls like glibc's _getopt_data. */
static struct {
  int initialized;
  char *next_char;        /* the rest of the current option cluster */
  enum ordering ordering;
  int first_nonopt;       /* operands skipped so far are argv[first_nonopt .. last_nonopt) */
  int last_nonopt;
  int optopt;
} scan;

static int is_operand(char *const argv[], int i) {
  return argv[i][0] != '-' || argv[i][1] == 0;
}

/* Swaps the skipped operands [first_nonopt, last_nonopt) with the options after them
 * [last_nonopt, optind), keeping each group's order. */
static void exchange(char **argv) {
  int bottom = scan.first_nonopt, middle = scan.last_nonopt, top = optind, i;
  char *t;
  while (top > middle && middle > bottom) {
    if (top - middle > middle - bottom) {
      int len = middle - bottom;
      for (i = 0; i < len; i++) {
        t = argv[bottom + i];
        argv[bottom + i] = argv[top - (middle - bottom) + i];
        argv[top - (middle - bottom) + i] = t;
      }
      top -= len;
    } else {
      int len = top - middle;
      for (i = 0; i < len; i++) {
        t = argv[bottom + i];
        argv[bottom + i] = argv[middle + i];
        argv[middle + i] = t;
      }
      bottom += len;
    }
  }
  scan.first_nonopt += optind - scan.last_nonopt;
  scan.last_nonopt = optind;
}

static int scan_next(int argc, char **argv, const char *optstring) {
  int print_errors = opterr;
  char c;
  const char *spec;

  optarg = NULL;
  if (optind == 0 || !scan.initialized) {
    if (optind == 0)
      optind = 1;
    scan.first_nonopt = scan.last_nonopt = optind;
    scan.next_char = NULL;
    if (optstring[0] == '-') {
      scan.ordering = RETURN_IN_ORDER;
    } else if (optstring[0] == '+' || getenv("POSIXLY_CORRECT")) {
      scan.ordering = REQUIRE_ORDER;
    } else {
      scan.ordering = PERMUTE;
    }
    scan.initialized = 1;
  }
  if (optstring[0] == '-' || optstring[0] == '+')
    optstring++;
  if (optstring[0] == ':')
    print_errors = 0;

  if (!scan.next_char || !*scan.next_char) {
    if (scan.last_nonopt > optind)
      scan.last_nonopt = optind;
    if (scan.first_nonopt > optind)
      scan.first_nonopt = optind;
    if (scan.ordering == PERMUTE) {
      if (scan.first_nonopt != scan.last_nonopt && scan.last_nonopt != optind)
        exchange(argv);
      else if (scan.last_nonopt != optind)
        scan.first_nonopt = optind;
      while (optind < argc && is_operand(argv, optind))
        optind++;
      scan.last_nonopt = optind;
    }
    if (optind != argc && strcmp(argv[optind], "--") == 0) {
      optind++;
      if (scan.first_nonopt != scan.last_nonopt && scan.last_nonopt != optind)
        exchange(argv);
      else if (scan.first_nonopt == scan.last_nonopt)
        scan.first_nonopt = optind;
      scan.last_nonopt = argc;
      optind = argc;
    }
    if (optind == argc) {
      if (scan.first_nonopt != scan.last_nonopt)
        optind = scan.first_nonopt;
      return -1;
    }
    if (is_operand(argv, optind)) {
      if (scan.ordering == REQUIRE_ORDER)
        return -1;
      optarg = argv[optind++];
      return 1;
    }
    scan.next_char = argv[optind] + 1;
  }

  c = *scan.next_char++;
  spec = strchr(optstring, c);
  if (*scan.next_char == 0)
    optind++;
  if (!spec || c == ':' || c == ';') {
    if (print_errors)
      fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
    scan.optopt = c;
    return '?';
  }
  if (spec[1] == ':') {
    if (spec[2] == ':') {
      if (*scan.next_char) {
        optarg = scan.next_char;
        optind++;
      } else {
        optarg = NULL;
      }
    } else if (*scan.next_char) {
      optarg = scan.next_char;
      optind++;
    } else if (optind == argc) {
      if (print_errors)
        fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
      scan.optopt = c;
      c = optstring[0] == ':' ? ':' : '?';
    } else {
      optarg = argv[optind++];
    }
    scan.next_char = NULL;
  }
  return c;
}

int getopt(int argc, char *const argv[], const char *optstring) {
  int c = scan_next(argc, (char **)argv, optstring);
  optopt = scan.optopt;
  return c;
}

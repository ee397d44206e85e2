// ksim's strace: the observer that prints strace's output, its options and command-line parser.
export { Strace, type StraceWriters, type StraceClock } from './strace.js';
export { parseStraceArgs, STRACE_USAGE, STRACE_VERSION_TEXT, type ParsedStraceArgs, type ParseStraceOptions } from './cli.js';
export { defaultStraceOptions, type StraceOptions, type TraceSet, type TraceItem, type StatusName, type SortBy } from './options.js';

// The stock Linux tables by architecture (data files generated from the reference tables).
export { LINUX_X86_64_TABLE } from './table-x86_64.js';
export { LINUX_I386_TABLE as LINUX_I386_TABLE_ROWS } from './table-i386.js';

/* strace: traces a command's system calls and signals (ksim's strace, run by the kernel).
 * A thin client of ksim's tracers through the ksim_tool syscall (ksim_tool.h). */
#include "ksim_tool.h"

int main(int argc, char **argv) {
  (void)argc;
  return ksim_tool_main("strace", argv);
}

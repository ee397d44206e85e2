/* ktrace: records a command's kernel activity to ktrace.out in the current directory (ksim's ktrace).
 * A thin client of ksim's tracers through the ksim_tool syscall (ksim_tool.h). */
#include "ksim_tool.h"

int main(int argc, char **argv) {
  (void)argc;
  return ksim_tool_main("ktrace", argv);
}

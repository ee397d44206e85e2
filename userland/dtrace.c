/* dtrace: D scripts on the machine's probes; -c CMD runs CMD and exits when it ends (ksim's dtrace).
 * A thin client of ksim's tracers through the ksim_tool syscall (ksim_tool.h). */
#include "ksim_tool.h"

int main(int argc, char **argv) {
  (void)argc;
  return ksim_tool_main("dtrace", argv);
}

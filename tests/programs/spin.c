/* An infinite loop: stopped by the CPU limit. */
int main(void) { volatile unsigned long n = 0; for (;;) n++; }

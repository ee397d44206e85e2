/* Writing into a string literal (read-only data): SIGSEGV. */
int main(void) {
  char *s = (char *)"constant";
  s[0] = 'C';
  return 0;
}

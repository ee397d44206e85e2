/* Bob's greet: forgets that a full buffer means the name was too long, and logs empty names. */
SYSCALL_DEFINE1(greet, const char __user *, name)
{
  char buf[64];
  long len = strncpy_from_user(buf, name, sizeof(buf));
  if (len < 0)
    return -EFAULT;
  buf[sizeof(buf) - 1] = 0;
  printk(KERN_INFO "greet: hello, %s\n", buf);
  if (len == 0)
    return -EINVAL;
  return len;
}

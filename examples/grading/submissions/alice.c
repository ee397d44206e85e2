/* Alice's greet: follows the specification. */
SYSCALL_DEFINE1(greet, const char __user *, name)
{
  char buf[64];
  long len = strncpy_from_user(buf, name, sizeof(buf));
  if (len < 0 || len == sizeof(buf))
    return -EFAULT;
  if (len == 0)
    return -EINVAL;
  printk(KERN_INFO "greet: hello, %s\n", buf);
  return len;
}

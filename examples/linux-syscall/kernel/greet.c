/* greet(name): logs a greeting for a user-space string and returns its length.
 * A name of 64 bytes or more, or a bad pointer, is -EFAULT; an empty name is -EINVAL. */
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

#!/usr/sbin/dtrace -s
/*
 * printk.d — every kernel log call: the level, the kernel function that called printk (the
 * syscall's entry point, e.g. sys_stephen), the process, and the message. Uses ksim's
 * fbt::printk:entry probe: args[0] is the level, args[1] the message, args[2] the caller's name.
 * Usage: ksim dtrace -s probes/printk.d -c './test hi'
 * Example output:
 *   LVL CALLER               PID COMM             MESSAGE
 *     6 sys_stephen         1000 test             stephen syscall called with "hi"
 */
#pragma D option quiet

BEGIN
{
	printf("%3s %-16s %6s %-16s %s\n", "LVL", "CALLER", "PID", "COMM", "MESSAGE");
}

fbt::printk:entry
{
	printf("%3d %-16s %6d %-16s %s\n", args[0], (string)args[2], pid, execname, (string)args[1]);
	@calls[(string)args[2]] = count();
}

END
{
	printf("\n%-16s %8s\n", "CALLER", "PRINTKS");
	printa("%-16s %@8d\n", @calls);
}

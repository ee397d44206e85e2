#pragma D option quiet

BEGIN
{
	printf("not printed\n");
	x = *(int *)0;
}

ERROR
{
	printf("error: epid %d action %d fault %d addr %x\n", arg1, arg2, arg4, arg5);
}

BEGIN
{
	printf("still running\n");
	exit(0);
}

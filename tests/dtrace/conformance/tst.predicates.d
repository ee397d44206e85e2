#pragma D option quiet

int i;

tick-10ms
/i < 3/
{
	printf("tick %d\n", i);
}

tick-10ms
{
	i++;
}

tick-10ms
/i == 5/
{
	exit(0);
}

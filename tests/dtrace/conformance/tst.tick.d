#pragma D option quiet

int n;

tick-1sec
{
	n++;
	printf("%d\n", n);
}

tick-1sec
/n == 3/
{
	exit(0);
}

END
{
	printf("end %d\n", n);
}

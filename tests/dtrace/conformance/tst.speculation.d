#pragma D option quiet

BEGIN
{
	spec = speculation();
}

BEGIN
{
	speculate(spec);
	printf("committed\n");
}

BEGIN
{
	commit(spec);
}

BEGIN
{
	spec2 = speculation();
}

BEGIN
{
	speculate(spec2);
	printf("discarded\n");
}

BEGIN
{
	discard(spec2);
	exit(0);
}

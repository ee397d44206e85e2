#pragma D option quiet

BEGIN
{
	y = 0;
	x = 10 / y;
}

BEGIN
{
	exit(0);
}

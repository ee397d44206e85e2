#pragma D option quiet

BEGIN
{
	@ = llquantize(5, 10, 0, 2, 10);
	@ = llquantize(150, 10, 0, 2, 10);
	exit(0);
}

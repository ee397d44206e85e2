#pragma D option quiet

BEGIN
{
	x = (char)-1;
	y = (unsigned char)255;
	z = (short)-2;
	w = 0xffffffff;
	printf("%d %d %d %u %x\n", x, y, z, w, (int)-1);
	exit(0);
}

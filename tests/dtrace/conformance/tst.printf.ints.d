#pragma D option quiet

BEGIN
{
	printf("%d|%i|%u|%x|%X|%o|%#x|%#o\n", -5, 42, 42, 255, 255, 8, 255, 8);
	printf("%5d|%-5d|%05d|%+d|% d|%.3d\n", 42, 42, 42, 42, 42, 7);
	printf("%c%c%c|%%|%s|%10s|%-10s|%.2s\n", 65, 66, 67, "str", "right", "left", "truncate");
	printf("%*d|%-*d|\n", 6, 1, 4, 2);
	exit(0);
}

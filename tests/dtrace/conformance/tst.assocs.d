#pragma D option quiet

BEGIN
{
	a["x"] = 1;
	a["y"] = 2;
	b[1, "one"] = "uno";
	b[2, "two"] = "dos";
	a["x"] += 10;
	printf("%d %d %d %s %s\n", a["x"], a["y"], a["z"], b[1, "one"], b[2, "two"]);
	exit(0);
}

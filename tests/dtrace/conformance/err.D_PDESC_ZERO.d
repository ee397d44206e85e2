fbt:bippity:boppity:boo
{
}

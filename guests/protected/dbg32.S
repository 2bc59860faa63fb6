/* gdb test guest, protected mode: see guests/include/dbgtest.inc */
	.code32
	.text
#include "dbgtest.inc"

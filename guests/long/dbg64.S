/* gdb test guest, long mode: see guests/include/dbgtest.inc */
	.code64
	.text
#include "dbgtest.inc"

/* gdb test guest, real mode: see guests/include/dbgtest.inc */
	.code16
	.text
#include "dbgtest.inc"

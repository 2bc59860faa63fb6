/* "Hello from protected mode" through COM1 from flat 32-bit protected mode,
 * then hlt (status 0). */
#include "print.inc"

	.code32
	.text
	.globl	_start
_start:
	print	uart_puts, "Hello from protected mode\n"
	hlt

	DEFINE_UART_PUTS uart_puts

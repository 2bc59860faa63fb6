/* "Hello from long mode" through COM1 from 64-bit mode, then hlt (status 0). */
#include "print.inc"

	.code64
	.text
	.globl	_start
_start:
	print	uart_puts, "Hello from long mode\n"
	hlt

	DEFINE_UART_PUTS uart_puts

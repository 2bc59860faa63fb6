/* "Hello, world!" through COM1, polling THRE before each byte, then hlt. */
#include "print.inc"

	.code16
	.text
	.globl	_start
_start:
	print	uart_puts, "Hello, world!\n"
	hlt

	DEFINE_UART_PUTS uart_puts

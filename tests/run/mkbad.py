#!/usr/bin/env python3
"""Writes one malformed (or, for reference, one valid) ELF64 image for
tests/run/malformed_images.sh, so no binary has to live in git.

usage: mkbad.py KIND OUT
KIND: good, truncated, phdr-past-end, outside-memory, filesz-past-end, pie
"""
import struct
import sys

PT_LOAD, ET_EXEC, ET_DYN, EM_X86_64 = 1, 2, 3, 62
EHDR_SIZE, PHDR_SIZE = 64, 56
CODE = b"\xf4" * 16          # hlt; never reached by a refused image


def elf64(e_type=ET_EXEC, phoff=EHDR_SIZE, paddr=0x100000, filesz=None):
    data_off = EHDR_SIZE + PHDR_SIZE
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)       # ELF64, LSB, EV_CURRENT
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", ident, e_type, EM_X86_64, 1, paddr, phoff,
                       0, 0, EHDR_SIZE, PHDR_SIZE, 1, 0, 0, 0)
    filesz = len(CODE) if filesz is None else filesz
    phdr = struct.pack("<IIQQQQQQ", PT_LOAD, 5, data_off, paddr, paddr, filesz,
                       max(filesz, 0x1000), 0x1000)
    return ehdr + phdr + CODE


def image(kind):
    good = elf64()
    table = {
        "good": lambda: good,
        "truncated": lambda: good[:30],
        # the one program header would start 8 bytes before the end of the file
        "phdr-past-end": lambda: elf64(phoff=len(good) - 8),
        "outside-memory": lambda: elf64(paddr=0xfffff000),
        "filesz-past-end": lambda: elf64(filesz=0x10000),
        "pie": lambda: elf64(e_type=ET_DYN),
    }
    if kind not in table:
        sys.exit(f"mkbad.py: unknown kind {kind!r}; one of: {', '.join(table)}")
    return table[kind]()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    with open(sys.argv[2], "wb") as f:
        f.write(image(sys.argv[1]))


if __name__ == "__main__":
    main()

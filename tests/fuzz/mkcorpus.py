#!/usr/bin/env python3
"""Writes the hand-made seed corpora under tests/fuzz/corpus/ (the files are
checked in; rerun this after changing it). Seeds are small on purpose: they show
the fuzzer each format's shape, and it finds the rest.

  corpus/rsp/  a configuration byte (see fuzz_rsp.c) + bytes a gdb would send
  corpus/elf/  minimal ELF32/ELF64 executables, broken variants, flat binaries
  corpus/bzimage/  hand-made boot protocol headers (+ a last byte picking
               --linux-entry and --mem, see fuzz_bzimage.c), a vmlinux with a PVH note
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(kind, name, data):
    d = os.path.join(HERE, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- RSP ----

def pkt(body):
    if isinstance(body, str):
        body = body.encode()
    return b"$" + body + b"#%02x" % (sum(body) & 0xff)


def hexs(s):
    return s.encode().hex()


CFG_4CPU = b"\x03"          # 4 vCPUs
CFG_1CPU_EXIT = b"\x74"     # 1 vCPU, a continue exits with status 7
CFG_2CPU_NOWATCH = b"\x09"  # 2 vCPUs, no watchpoints
CFG_RANGE = b"\x11"         # 2 vCPUs, range stepping offered

HANDSHAKE = [
    "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;"
    "vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+",
    "vMustReplyEmpty", "QStartNoAckMode", "Hgp0.0", "qXfer:features:read:target.xml:0,ffb",
    "qTStatus", "?", "qfThreadInfo", "qsThreadInfo", "qAttached:1", "Hc-1", "qC",
    "qOffsets", "g",
]

rsp = {
    # What gdb 13 says on `target remote`, acks included.
    "handshake": CFG_4CPU + b"+" + b"+".join(pkt(p) for p in HANDSHAKE),
    # Stepping, breakpoints, continue to a breakpoint, memory and registers.
    "session": CFG_4CPU + b"".join(pkt(p) for p in [
        "qSupported:swbreak+;hwbreak+", "?", "m1100,40", "M1100,4:90909090",
        "X1104,4:" + "\x7d\x5d\x7d\x03", "Z0,1200,1", "Z1,1300,1", "vCont;s:1",
        "vCont;c", "z0,1200,1", "z1,1300,1", "p10", "P10=0011000000000000",
        "G" + "00" * 16, "s", "c", "c1280", "S05", "C05;1300", "T1", "T5",
        "qThreadExtraInfo,2", "Hg2", "g", "Hc3", "s",
    ]),
    # Watchpoints of each kind, running out of debug registers.
    "watch": CFG_2CPU_NOWATCH + b"".join(pkt(p) for p in [
        "Z2,1400,4", "Z3,1400,4", "Z4,1400,8", "Z1,1000,1", "Z1,1001,1",
        "Z1,1002,1", "Z1,1003,1", "Z1,1004,1", "vCont;c:1;t", "z2,1400,4",
    ]),
    # Monitor commands, detach, kill, exit.
    "monitor": CFG_1CPU_EXIT + b"".join(pkt(p) for p in [
        "qRcmd," + hexs("help"), "qRcmd," + hexs("mode"), "qRcmd," + hexs("nope"),
        "qRcmd," + hexs("fail"), "qRcmd,6", "c", "D", "?", "k", "vCont?",
    ]),
    # Framing: run-length codes, escapes, bad checksums, noise, Ctrl-C, NAKs.
    "framing": CFG_4CPU + b"".join([
        b"+-\x03garbage", pkt("m1100,4*!"), pkt("0*\x1f"), b"$m1100,4#00", b"$?#3",
        b"$m1100$?#3f", b"$}#00", pkt("X1100,2:}\x03}"), b"$*#2a", b"-", b"\x03",
        pkt("x" * 40), b"$" + b"A" * 60 + b"#41", pkt("vCont;c:5"), pkt("vCont;r1,2"),
        pkt("mffffffffffffff00,200"), pkt("m0,fffffffffffffffff"),
    ]),
    # Long packets in few bytes (run-length codes), for the length limit
    # fuzz_rsp.options sets: a whole 'G' block (608 bytes, 1216 hex digits) and
    # a 256-byte 'M'.
    "long_rle": CFG_4CPU + b"".join([
        pkt("G" + "0*~" * 12 + "0*D"), pkt("g"),
        pkt("M1100,100:" + "9*~" * 5 + "9*2"), pkt("m1100,100"),
        pkt("G" + "1*~" * 12 + "1*D"),
    ]),
    # Thread ids in every syntax, valid and not.
    "threads": CFG_4CPU + b"".join(pkt(p) for p in [
        "Hgp1.2", "Hg-1", "Hg0", "Hg5", "Hcp1.-1", "Tp1.3", "T0", "T7fffffff",
        "vCont;s:p1.2;c", "vCont;t:1;t:2", "vCont;C05:3;S0b:4", "vCont;c:-1",
        "qThreadExtraInfo,p1.4",
    ]),
    # Range stepping (vCont;r), good and malformed, with a breakpoint in the range.
    "range": CFG_RANGE + b"".join(pkt(p) for p in [
        "vCont?", "vCont;r1100,1108:1;c", "Z0,110c,1", "vCont;r1108,1120:p1.1",
        "vCont;r1110,1110:2", "vCont;r2000,1000", "vCont;r1000,", "vCont;r,1",
        "z0,110c,1", "vCont;r0,ffffffffffffffff:1",
    ]),
}

# ---- ELF ----

EI = lambda cls: b"\x7fELF" + bytes([cls, 1, 1, 0]) + bytes(8)


def elf64(entry=0x100000, phdrs=((1, 0x78, 0x100000, 8, 0x1000),), etype=2, machine=62,
          body=b"\xf4" * 8):
    eh = EI(2) + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, 64, 0, 0, 64, 56,
                             len(phdrs), 64, 0, 0)
    ph = b"".join(struct.pack("<IIQQQQQQ", t, 7, off, pa, pa, fs, ms, 0x1000)
                  for t, off, pa, fs, ms in phdrs)
    return eh + ph + body


def elf32(entry=0x100000, phdrs=((1, 0x54, 0x100000, 4, 0x100),), etype=2, machine=3,
          body=b"\xf4" * 4):
    eh = EI(1) + struct.pack("<HHIIIIIHHHHHH", etype, machine, 1, entry, 52, 0, 0, 52, 32,
                             len(phdrs), 40, 0, 0)
    ph = b"".join(struct.pack("<IIIIIIII", t, off, pa, pa, fs, ms, 7, 0x1000)
                  for t, off, pa, fs, ms in phdrs)
    return eh + ph + body


elf = {
    "elf64_min": elf64(),
    "elf64_two_segs": elf64(phdrs=((1, 0xb0, 0x100000, 4, 4), (1, 0xb4, 0x200000, 4, 0x2000))),
    "elf64_note_bss": elf64(phdrs=((4, 0, 0, 0, 0), (1, 0xb0, 0x300000, 0, 0x4000))),
    "elf64_interp": elf64(phdrs=((3, 0x78, 0, 8, 8),)),
    "elf64_pie": elf64(etype=3),
    "elf64_wrap": elf64(phdrs=((1, 0x78, 0xfffffffffffff000, 8, 0x2000),)),
    "elf64_past_eof": elf64(phdrs=((1, 0x78, 0x100000, 0x1000, 0x1000),)),
    "elf32_min": elf32(),
    "elf32_over_4g": elf32(phdrs=((1, 0x54, 0xfffff000, 4, 0x2000),)),
    "elf32_arm": elf32(machine=40),
    "elf_truncated": elf64()[:30],
    "elf_bad_class": b"\x7fELF\x03\x01\x01" + bytes(57),
    # Flat binaries: a tiny real-mode program (mov al,'A'; out 0xe9... hlt).
    "flat_real": b"\xb0\x41\xe6\xe9\xf4",
    "flat_one": b"\xf4",
    "flat_override": b"\x90" * 12 + b"\x01\x10\x03\x02",
}

# ---- bzImage / vmlinux ----

# Setup header fields by file offset (x86 boot protocol), width in bytes.
BZ = {"setup_sects": (0x1f1, 1), "syssize": (0x1f4, 4), "boot_flag": (0x1fe, 2),
      "jump": (0x200, 2), "header": (0x202, 4), "version": (0x206, 2),
      "code32_start": (0x214, 4), "initrd_addr_max": (0x22c, 4),
      "kernel_alignment": (0x230, 4), "relocatable_kernel": (0x234, 1),
      "xloadflags": (0x236, 2), "cmdline_size": (0x238, 4), "pref_address": (0x258, 8),
      "init_size": (0x260, 4)}


def bzimage(sects=1, pm=0x200, last=0, **fields):
    f = {"setup_sects": sects, "syssize": pm // 16, "boot_flag": 0xaa55,
         "jump": 0x66eb, "header": 0x53726448, "version": 0x020f,
         "code32_start": 0x100000, "initrd_addr_max": 0x7fffffff,
         "kernel_alignment": 0x200000, "relocatable_kernel": 1, "xloadflags": 3,
         "cmdline_size": 2047, "pref_address": 0x1000000, "init_size": 0x400000}
    f.update(fields)
    b = bytearray((sects + 1) * 512 + pm)
    for name, v in f.items():
        off, width = BZ[name]
        b[off:off + width] = v.to_bytes(width, "little")
    b[-1] = last
    return bytes(b)


def xen_note(entry):
    return struct.pack("<III", 4, 4, 18) + b"Xen\0" + struct.pack("<I", entry)


bz = {
    "bz_2_15": bzimage(),
    "bz_entry32": bzimage(last=2),
    "bz_2_06_old": bzimage(version=0x0206, jump=0x26eb, last=6),
    "bz_no_64bit": bzimage(xloadflags=0),
    "bz_misaligned": bzimage(pref_address=0x1001000),
    "bz_over_4g": bzimage(pref_address=0xffe00000, init_size=0x400000, last=8),
    "bz_truncated": bzimage()[:0x300],
    "bz_setup_big": bzimage(sects=64)[:0x400],
    "bz_short": bzimage()[:0x205],
    "vmlinux_pvh": elf64(entry=0x1000000, phdrs=((1, 0xb0, 0x1000000, 8, 0x1000),
                                                  (4, 0xb8, 0, 16, 16)),
                         body=b"\xf4" * 8 + xen_note(0x1000040)),
    "vmlinux_32": elf32(),
}

RSP_MAX_LEN = 256   # -max_len in rsp.options: longer seeds would be cut


def write_rsp(name, data):
    """Splits a transcript at packet starts into seeds of at most RSP_MAX_LEN
    bytes, each with the configuration byte."""
    cfg, rest = data[:1], data[1:]
    parts, cur = [], b""
    for i, piece in enumerate(rest.split(b"$")):
        piece = piece if i == 0 else b"$" + piece
        if cur and len(cfg) + len(cur) + len(piece) > RSP_MAX_LEN:
            parts.append(cur)
            cur = b""
        cur += piece
    parts.append(cur)
    for i, part in enumerate(parts):
        assert len(cfg + part) <= RSP_MAX_LEN, name
        write("rsp", name if len(parts) == 1 else "%s_%d" % (name, i + 1), cfg + part)


if __name__ == "__main__":
    for name, data in bz.items():
        write("bzimage", name, data)
    for name, data in rsp.items():
        write_rsp(name, data)
    for name, data in elf.items():
        write("elf", name, data)

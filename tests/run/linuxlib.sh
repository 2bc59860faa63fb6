# Shared by the Linux boot tests (tests/run/linux*.sh, tests/gdb/linux*.sh); source
# after tests/lib.sh. Not executable: tests/run-all.sh runs only executables.
# The kernel and initramfs are built once into $LINUX_OUT (build/linux) by
# linux-boot/build-kernel.sh and mkinitramfs.sh; a rerun finds them cached.
LINUX_OUT=${LINUX_OUT:-$TOP/build/linux}
export LINUX_OUT
KERNEL=$LINUX_OUT/bzImage
VMLINUX=$LINUX_OUT/vmlinux
DECOMP=$LINUX_OUT/decompressor.elf
INITRD=$LINUX_OUT/initramfs.cpio
LINUX_CMDLINE="console=ttyS0 earlyprintk=serial"

# linux_assets: the test kernel and initramfs, or a loud "not ok" and exit. A
# missing toolchain is a failure too, not a skip: nothing Linux was tested.
linux_assets() {
    local rc=0
    "$TOP/linux-boot/build-kernel.sh" >"$TMPD/build-kernel.log" 2>&1 || rc=$?
    if [ "$rc" -eq 3 ]; then
        not_ok linux_kernel_build "NO LINUX BOOT WAS TESTED: the kernel build tools or Debian's linux-source cannot be installed here: $(tail -n 3 "$TMPD/build-kernel.log" | tr '\n' '|')"
        exit 0
    elif [ "$rc" -ne 0 ]; then
        not_ok linux_kernel_build "linux-boot/build-kernel.sh failed ($rc): $(tail -n 8 "$TMPD/build-kernel.log" | tr '\n' '|')"
        exit 0
    fi
    if ! "$TOP/linux-boot/mkinitramfs.sh" >"$TMPD/mkinitramfs.log" 2>&1; then
        not_ok linux_initramfs "linux-boot/mkinitramfs.sh failed: $(tail -n 5 "$TMPD/mkinitramfs.log" | tr '\n' '|')"
        exit 0
    fi
}

# timestamp_lines: prefixes each line of stdin with seconds since START (host clock),
# so a console log shows where the time went. The tty's CRLF becomes LF.
timestamp_lines() {
    local start=$1 line now
    while IFS= read -r line; do
        line=${line%$'\r'}
        now=$(date +%s.%N)
        printf '%7.2f %s\n' "$(awk -v a="$now" -v b="$start" 'BEGIN { print a - b }')" "$line"
    done
}

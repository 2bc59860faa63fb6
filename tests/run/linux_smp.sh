#!/usr/bin/env bash
# --smp 2, headless, with the stub listening but no gdb attached (--gdb-nowait): the
# kernel finds both CPUs in the MP table and starts the second (INIT/SIPI through
# KVM's in-kernel LAPIC), /init reaches user space and prints its marker (so the
# VMM's own use of debug registers leaves user space alone), then exits: the panic
# ends the run with status 123, since no gdb is there to stop for.
source "$(dirname "$0")/../lib.sh"
require_kvm
source "$(dirname "$0")/linuxlib.sh"
linux_assets

RUN_LIMIT=${LINUX_BOOT_LIMIT:-280}
run_vmm "$TMPD/smp.out" --linux "$KERNEL" --initrd "$INITRD" --smp 2 \
    --gdb 127.0.0.1:0 --gdb-nowait --cmdline "$LINUX_CMDLINE minikvm.exit"
out=$(cat "$TMPD/smp.out")
err=$(cat "$TMPD/smp.out.err")
check_eq linux_smp_status "$RC" 123
check_match linux_smp_mptable_found "$out" 'Intel MultiProcessor Specification v1\.4'
check_match linux_smp_two_cpus "$out" 'smp: Brought up 1 node, 2 CPUs'
check_match linux_smp_init_marker "$out" '^MINIKVM-INIT-OK'
check_match linux_smp_panic_ended "$err" 'the kernel panicked .*it reset, ending the run with status 123'
check_match linux_smp_nokaslr "$err" 'nokaslr \(--gdb'

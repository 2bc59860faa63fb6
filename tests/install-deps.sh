#!/usr/bin/env bash
# Installs the tools the build and the tests use, only those missing: a C compiler,
# make, binutils (as/ld for the guests), gdb (the gdb tests), python3 (test helpers
# and gdb's scripting), util-linux's script (pty tests), clang-format (make
# format-check). Needs root for apt-get.
set -euo pipefail
need=()
for pair in gcc:gcc make:make ld:binutils gdb:gdb python3:python3 script:bsdutils \
            clang-format:clang-format; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "install-deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}"
fi
# Without KVM every test that runs a guest reports "skip" with the reason (tests/lib.sh
# require_kvm), and the closing line counts them: say so loudly up front.
if [ ! -e /dev/kvm ]; then
    echo "install-deps: WARNING: this host has no /dev/kvm: every test that runs a guest will be skipped" >&2
elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo "install-deps: WARNING: /dev/kvm is not usable by $(id -un): every test that runs a guest will be skipped" >&2
fi

#!/usr/bin/env bash
# Makes sure clang can build a libFuzzer target with ASan and UBSan; installs
# clang and the compiler-rt runtime (libFuzzer lives there) only if it cannot.
set -euo pipefail
cc=${FUZZ_CC:-clang}
tmp=$(mktemp -d /tmp/fuzz-toolchain.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    >"$tmp/t.c"
probe() {
    command -v "$cc" >/dev/null 2>&1 &&
        "$cc" -fsanitize=fuzzer,address,undefined -o "$tmp/t" "$tmp/t.c" >"$tmp/log" 2>&1
}
probe && exit 0
echo "fuzz: $cc cannot link a libFuzzer target; installing clang and libclang-rt-dev"
if [ "$(id -u)" != 0 ]; then
    echo "fuzz: not root: install clang and libclang-rt-dev (Debian) by hand" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq clang libclang-rt-dev >/dev/null
if ! probe; then
    echo "fuzz: $cc still cannot link a libFuzzer target:" >&2
    cat "$tmp/log" >&2
    exit 1
fi

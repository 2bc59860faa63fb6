#!/usr/bin/env bash
# format-check.sh [--fix]: the C sources against .clang-format. Lists every file
# whose formatting differs (with the first differing lines) and exits 1; --fix
# rewrites them in place instead (make format).
set -u
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format-check: clang-format is not installed (tests/install-deps.sh)"; exit 2; }
files=$(find vmm gdbstub loader os-1k linux-boot tests/unit tests/fuzz tests/bench \
        -type f \( -name '*.c' -o -name '*.h' \) | sort)
if [ "${1:-}" = --fix ]; then
    clang-format -i $files
    exit 0
fi
bad=0
for f in $files; do
    if ! d=$(clang-format "$f" | diff -u "$f" -); then
        echo "format-check: $f differs from .clang-format (make format fixes it):"
        printf '%s\n' "$d" | sed -n '3,12p'
        bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "format-check: $(wc -w <<<"$files") files match .clang-format"
exit "$bad"

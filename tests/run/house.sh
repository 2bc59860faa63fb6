#!/usr/bin/env bash
# The house rules of the tree (docs/architecture.md), checked on the sources: which
# module may include what, private headers stay in their folder, the repo cites only
# its own docs, one home for x86 constants and ARRAY_SIZE, and the architecture
# document names every source file of vmm/. No KVM needed.
source "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1

src() { find "$@" -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | sort; }
# includes FILE...: "file:included" pairs for #include "..." lines
includes() { grep -Ho '^#include "[^"]*"' "$@" | sed 's/:#include "\(.*\)"$/:\1/'; }

bad=$(grep -l 'linux/kvm.h' $(src gdbstub loader vmm/x86 vmm/util.h))
check_eq house_no_kvm_in_core "$bad" ""

bad=$(includes $(src gdbstub loader) | grep ':vmm/' | grep -v ':vmm/util.h$')
check_eq house_gdbstub_loader_include_only_util "$bad" ""
bad=$(includes $(src vmm/x86) | grep -v ':vmm/x86/' | grep -v ':vmm/util.h$')
check_eq house_x86_is_self_contained "$bad" ""

bad=$(includes $(src vmm gdbstub loader tests/unit tests/fuzz) | grep '_priv\.h$' |
      while IFS=: read -r f h; do [ "$(dirname "$f")" = "$(dirname "$h")" ] || echo "$f:$h"; done)
check_eq house_private_headers_stay_home "$bad" ""

bad=$(grep -rln 'DESIGN\.md\|\.\./shared' --include='*.[chS]' --include='*.sh' --include='*.py' \
      --include='*.gdb' --include='*.mk' --include='*.md' --include=Makefile \
      vmm gdbstub loader guests os-1k linux-boot gdbinit tests docs Makefile README.md |
      grep -v '^tests/run/house.sh$')
check_eq house_cites_only_own_docs "$bad" ""

bad=$(grep -rnE 'sizeof *\(? *[A-Za-z_][A-Za-z0-9_.>-]* *\)? */ *sizeof *\(? *(\*|[A-Za-z_][A-Za-z0-9_.>-]*\[0\])' \
      $(src vmm gdbstub loader tests/unit tests/bench) | grep -v '^vmm/util.h:')
check_eq house_one_array_size "$bad" ""

bad=$(grep -rnE '^#define +(CR[0-8]_|EFER_|RFLAGS_|PTE_|DR[67]_|MSR_[A-Z_]*0x|MSR_(STAR|LSTAR|SFMASK|EFER|FS_BASE|GS_BASE|KERNEL_GS_BASE)\b|OP_INT3|INT3\b|VEC_)' \
      $(src vmm gdbstub loader) | grep -v '^vmm/x86/bits.h:')
check_eq house_one_home_for_x86_constants "$bad" ""

# A newcomer finds these from folder names alone.
for f in vmm/debug/breakpoints.c vmm/linux/setup.c vmm/probe/hostprobe.c vmm/x86/pagewalk.c; do
    check_eq "house_has_$(basename "$(dirname "$f")")_$(basename "$f" .c)" "$([ -f "$f" ] && echo yes)" yes
done

# docs/architecture.md names every C source of vmm/ (or its prefix*.c group).
missing=
for f in $(find vmm -name '*.c' | sort); do
    b=$(basename "$f")
    grep -qF "$b" docs/architecture.md && continue
    stem=${b%.c}
    grep -qF "${stem%%_*}*.c" docs/architecture.md && continue
    missing="$missing $f"
done
check_eq house_architecture_doc_lists_every_file "${missing# }" ""

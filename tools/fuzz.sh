#!/bin/bash
# Build tools/fuzz/fuzz_wire.c (smbsign/wire.h under libFuzzer, ASan and
# UBSan) and run it for a bounded number of inputs ($1, default 300000).
# Exits non-zero if the build fails or an invariant breaks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${SMBSIGN_BUILD:-$here/../build}/fuzz
runs=${1:-300000}
if ! command -v clang >/dev/null || ! dpkg -s libclang-rt-14-dev >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		clang libclang-rt-14-dev >&2
fi
mkdir -p "$out/corpus"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Werror "$here/fuzz/fuzz_wire.c" -o "$out/fuzz_wire"
# a seed: two chained headers, then a SIGNING_CAPABILITIES-like list
printf '\x33\x01\x12\x00%0.s' > "$out/corpus/seed"
head -c 200 /dev/zero | tr '\0' 'A' >> "$out/corpus/seed"
cd "$out"
./fuzz_wire -runs="$runs" -max_len=4096 -seed=1 corpus >fuzz.log 2>&1 || {
	tail -30 fuzz.log >&2
	exit 1
}
grep -E 'Done [0-9]+ runs' fuzz.log | tail -1

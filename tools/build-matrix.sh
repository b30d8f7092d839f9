#!/bin/bash
# Out-of-tree builds against Debian's header packages for 6.1 and 6.12 with
# W=1 and sparse (C=1), the wire rules under libFuzzer, and checkpatch
# over every source: each must be free of warnings (the DKMS builds are
# tools/check-debian.sh's). Prints one line per check and ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

# The newest header package whose name matches regex $1 (the generic
# amd64 flavour), installing the newest available if none is installed.
headers_dir() {
	local re="^linux-headers-$1\$" pkg
	pkg=$(ls /usr/src | grep -E "$re" | sort -V | tail -1)
	if [ -z "$pkg" ]; then
		apt-get update -qq >&2
		pkg=$(apt-cache search --names-only "$re" | cut -d' ' -f1 | sort -V | tail -1)
		[ -n "$pkg" ] || return 1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2
	fi
	echo "/usr/src/$pkg"
}

command -v sparse >/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sparse >&2
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for series in '6\.1\.0-[0-9]+-amd64' '6\.12\.[0-9]+\+deb12-amd64'; do
	if ! kdir=$(headers_dir "$series"); then
		result 1 "no header package matching ^linux-headers-$series\$"
		continue
	fi
	src=$(mktemp -d)
	copy_sources "$src"
	status=0
	strict_log=$out strict_build "$kdir" "$src" SMBSIGN_VERSION=build-matrix || status=$?
	[ "$strict_sparse" = yes ] || { log "sparse did not run"; status=1; }
	result $status "build $(basename "$kdir") W=1 C=1"
	rm -rf "$src"
done

# The wire rules (smbsign/wire.h) under libFuzzer with ASan and UBSan.
status=0
runs=$("$SMBSIGN_ROOT/tools/fuzz.sh" 2000000 2>"$out") || status=$?
[ $status = 0 ] || tail -20 "$out" >&2
result $status "libFuzzer on smbsign/wire.h (compound walker, policy, algorithm choice): ${runs:-no runs}"

status=0
"$SMBSIGN_ROOT/tools/checkpatch.sh" >"$out" 2>&1 || status=$?
if grep -vE '^total: 0 errors, 0 warnings, 0 checks' "$out" >&2; then
	status=1
fi
result $status "checkpatch --strict"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

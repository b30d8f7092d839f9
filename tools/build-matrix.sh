#!/bin/bash
# Out-of-tree builds against Debian's header packages for 6.1 and 6.12 with
# W=1 and sparse (C=1), DKMS builds for both, the wire rules under
# libFuzzer, and checkpatch over every source: each must be free of
# warnings. Prints one line per check and ends with "N passed, N failed".
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

# DKMS, as an administrator installs it, for each header package; modinfo
# of the result must show the version, description, softdep and every
# parameter's description.
command -v dkms >/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dkms >&2
}
ver=$(cat "$SMBSIGN_ROOT/VERSION")
for series in '6\.1\.0-[0-9]+-amd64' '6\.12\.[0-9]+\+deb12-amd64'; do
	kdir=$(headers_dir "$series") || { result 1 "dkms build: no headers for $series"; continue; }
	kver=${kdir#/usr/src/linux-headers-}
	dkms remove -m smbsign -v "$ver" --all >/dev/null 2>&1 || true
	rm -rf "/usr/src/smbsign-$ver"
	copy_sources "/usr/src/smbsign-$ver"
	status=0
	{ dkms add -m smbsign -v "$ver" && dkms build -m smbsign -v "$ver" -k "$kver"; } >"$out" 2>&1 || status=$?
	ko=/var/lib/dkms/smbsign/$ver/$kver/x86_64/module/smbsign.ko
	if [ $status = 0 ]; then
		[ -f "$ko" ] || ko=$(find /var/lib/dkms/smbsign/$ver/$kver -name 'smbsign.ko*' | head -1)
		info=$(modinfo "$ko" 2>&1)
		for want in "version: *$ver" 'description: .*SMB' 'license: *GPL' 'softdep: *pre: aesni_intel' \
			    'parm: *client_require_signing:' 'parm: *server_require_signing:' \
			    'parm: *algorithms:' 'parm: *allow_smb1:'; do
			grep -qE "$want" <<<"$info" || { echo "modinfo lacks $want" >>"$out"; status=1; }
		done
	fi
	[ $status = 0 ] || tail -20 "$out" >&2
	result $status "dkms build smbsign/$ver for $kver, modinfo complete"
	dkms remove -m smbsign -v "$ver" --all >/dev/null 2>&1 || true
	rm -rf "/usr/src/smbsign-$ver"
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

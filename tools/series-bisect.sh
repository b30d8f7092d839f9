#!/bin/bash
# Every prefix of a patch series builds, warning-free: what "bisectable"
# asks of a series posted upstream. tools/series-bisect.sh KDIR applies
# patches/<KDIR's series>/0*.patch one at a time to a copy of KDIR's
# fs/smb (as tools/build-smb-modules.sh does for the whole series) and
# builds cifs.ko and ksmbd.ko after each, incrementally (make rebuilds
# what the patch changed and what includes it). smbsign must be built
# against KDIR (its Module.symvers and header are what the later patches
# use). Not part of make check (about 10 minutes on 2 cores for the 7.2
# series); run it before posting a series. Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

kdir=$(cd "$1" && pwd)
[ -f "$SMBSIGN_ROOT/Module.symvers" ] || { log "build smbsign against $kdir first"; exit 1; }
dir=$(patch_series_of "$kdir")
out=$SMBSIGN_BUILD/bisect-$(basename "$dir")
rm -rf "$out"
copy_smb_sources "$kdir" "$out"

passed=0 failed=0
# build both modules; $1 names the step. A warning fails it as an error
# does: make -s prints nothing else.
build_step() {
	local log=$out/build.log st=0
	make_smb_modules "$kdir" "$out" >"$log" 2>&1 || st=$?
	if [ $st = 0 ] && ! grep -q 'warning:' "$log"; then
		result 0 "$1"
	else
		result 1 "$1"
		grep -m 20 -E 'error|warning' "$log" || tail -20 "$log"
	fi
}

build_step "Linux $(make -s -C "$kdir" kernelversion), unpatched"
for p in $(series_patches "$dir"); do
	name=$(basename "$p" .patch)
	if ! patch -d "$out" -p1 --quiet --forward <"$p" >"$out/patch.log" 2>&1; then
		result 1 "$name: does not apply"
		cat "$out/patch.log"
		break
	fi
	build_step "$name"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

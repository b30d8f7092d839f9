#!/bin/bash
# Every prefix of a patch series builds, warning-free: what "bisectable"
# asks of a series posted upstream. tools/series-bisect.sh KDIR applies
# patches/<KDIR's series>/0*.patch one at a time to a copy of KDIR's
# fs/smb (as tools/build-smb-modules.sh does for the whole series) and
# builds cifs.ko and ksmbd.ko after each, incrementally (make rebuilds
# what the patch changed and what includes it). smbsign must be built
# against KDIR (its Module.symvers and header are what the later patches
# use). Not part of make check (about 20 minutes on 2 cores for the 7.2
# series); run it before posting a series. Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

kdir=$(cd "$1" && pwd)
series=$(make -s -C "$kdir" kernelversion | cut -d. -f1,2)
[ -f "$SMBSIGN_ROOT/Module.symvers" ] || { log "build smbsign against $kdir first"; exit 1; }
[ -d "$SMBSIGN_ROOT/patches/$series" ] || { log "no patch series for Linux $series"; exit 1; }
out=$SMBSIGN_BUILD/bisect-$series
rm -rf "$out"
mkdir -p "$out"
(cd "$kdir" && {
	find fs/smb -type f \( -name '*.[ch]' -o -name Makefile -o -name Kconfig -o -name '*.asn1' -o -name 'gen_*' \)
	find fs/nls -name '*.h'
} | cpio -pdm --quiet "$out")

passed=0 failed=0
# build both modules; $1 names the step. A warning fails it as an error
# does: make -s prints nothing else.
build_step() {
	local m log=$out/build.log st=0
	: >"$log"
	for m in client server; do
		make -s -j"$(nproc)" -C "$kdir" M="$out/fs/smb/$m" \
			KBUILD_EXTRA_SYMBOLS="$SMBSIGN_ROOT/Module.symvers" \
			KCFLAGS="-I$SMBSIGN_ROOT/include" modules >>"$log" 2>&1 || st=$?
	done
	if [ $st = 0 ] && ! grep -q 'warning:' "$log"; then
		result 0 "$1"
	else
		result 1 "$1"
		grep -m 20 -E 'error|warning' "$log" || tail -20 "$log"
	fi
}

build_step "Linux $(make -s -C "$kdir" kernelversion), unpatched"
for p in "$SMBSIGN_ROOT/patches/$series"/0*.patch; do
	case $p in *-cover-letter.patch) continue ;; esac
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

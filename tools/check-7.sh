#!/bin/bash
# The library build: smbsign against Linux 7.2 (tools/ksrc.sh 7), where
# HMAC-SHA256, AES-CMAC, GHASH and AES are library calls and the Kbuild
# probes pick backend_lib_*.c. W=1 and sparse must be silent; every KUnit
# suite runs in the QEMU guest on that kernel, the zero-allocation one
# included (fault injection, tools/kconfig/faults.config); the load line
# must name the library code on the guest's AVX2 / AES-NI / PCLMULQDQ,
# and modinfo must carry no softdep (nothing to preload). Ends with
# "N passed, N failed".
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(SMBSIGN_KSERIES=7 test_kernel "$SMBSIGN_ROOT/tools/kconfig/base.config" \
	"$SMBSIGN_ROOT/tools/kconfig/faults.config")

# a separate copy: the modules are built against another tree
src=$SMBSIGN_BUILD/lib7-src
rm -rf "$src"
mkdir -p "$src"
git -C "$SMBSIGN_ROOT" ls-files -z --cached --others --exclude-standard | (cd "$SMBSIGN_ROOT" && xargs -0 cp --parents -t "$src")
out=$SMBSIGN_BUILD/lib7-build.log
status=0
make -C "$kdir" M="$src" W=1 C=1 SMBSIGN_DEMO=m \
	SMBSIGN_VERSION="$(git -C "$SMBSIGN_ROOT" describe --always --dirty 2>/dev/null || echo lib7)" \
	modules >"$out" 2>&1 || status=$?
# (the top Makefile's pahole notice is about the host, not our code:
# build-matrix.sh installs dkms, which brings pahole, after the kernel)
if [ $status = 0 ] && grep -E 'warning:|error:' "$out" | grep -v 'pahole version differs' >&2; then
	status=1
fi
[ $status = 0 ] || tail -30 "$out" >&2
result $status "build against $(make -s -C "$kdir" kernelrelease) W=1 C=1"
[ $status = 0 ] || { echo "$passed passed, $failed failed"; exit 1; }

flags=$(grep -o -- '-DSMBSIGN_LIB_[A-Z]*' "$src/smbsign/.main.o.cmd" | sort -u | tr '\n' ' ')
grep -q HMAC <<<"$flags" && grep -q CMAC <<<"$flags" && grep -q GMAC <<<"$flags"
result $? "Kbuild probes chose the libraries: $(echo $flags)"
[ -z "$(modinfo -F softdep "$src/smbsign.ko")" ]
result $? "modinfo: no softdep on a library build"

SMBSIGN_ROOT=$src make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/check.sh" "$SMBSIGN_BUILD/check-7.cpio.gz"
logf=$SMBSIGN_BUILD/check-7.log
log "booting the 7.x guest; console log in $logf"
start=$(date +%s)
run_guest "$kdir" "$SMBSIGN_BUILD/check-7.cpio.gz" "$logf" || true
log "7.x guest ran $(( $(date +%s) - start ))s"

kunit_results "$kdir" "$logf" "$SMBSIGN_BUILD/check-7"
log "KUnit (7.x, library backends): $k_passed passed, $k_failed failed, $k_skipped skipped (of $k_ran)"
grep -q 'smbsign_fault_injection' "$SMBSIGN_BUILD/check-7.ktap"
result $? "the zero-allocation suite (smbsign_fault_injection) ran on the library backends"
passed=$((passed + k_passed))
failed=$((failed + k_failed))
[ "$k_ran" -gt 0 ]
result $? "KUnit results parsed"

drivers=$(grep -o 'smbsign .*self-tests passed.*' "$logf" | tr -d '\r' || true)
log "${drivers:-no self-test line from smbsign}"
# (QEMU's -cpu max has no SHA-NI: AVX2 is the best SHA-256 code it offers)
grep -qE 'hmac-sha256: hmac-sha256-lib/(sha-ni|avx2)' <<<"$drivers" &&
	grep -q 'aes-cmac: cmac-aes-lib/aes-ni' <<<"$drivers" &&
	grep -q 'aes-gmac: ghash-lib/pclmulqdq+aes-lib/aes-ni' <<<"$drivers"
result $? "on the AVX2 or SHA-NI / AES-NI / PCLMULQDQ library code"
for ok in SMBSIGN-SECRETS-OK SMBSIGN-TRACE-OK; do
	grep -q "$ok" "$logf"
	result $? "$(grep -o "$ok.*" "$logf" | tr -d '\r' || echo "no $ok line")"
done
trouble=$(guest_trouble "$logf")
[ -z "$trouble" ] || log "$(head -60 <<<"$trouble")"
[ -z "$trouble" ]
result $? "no kernel trouble in the 7.x guest"
grep -q SMBSIGN-GUEST-DONE "$logf" || tail -40 "$logf" >&2
grep -q SMBSIGN-GUEST-DONE "$logf"
result $? "the 7.x guest finished"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

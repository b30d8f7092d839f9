#!/bin/bash
# The library build: smbsign against Linux 7.2 (tools/ksrc.sh 7), where
# HMAC-SHA256, AES-CMAC, GHASH and AES are library calls and the Kbuild
# probes pick backend_lib_*.c. W=1 (and sparse, when Debian's is new
# enough for the tree) must be silent; every KUnit suite runs in the QEMU
# guest on that kernel, the zero-allocation one included (fault
# injection, tools/kconfig/faults.config); the load line
# must name the library code on the guest's AVX2 / AES-NI / PCLMULQDQ,
# and modinfo must carry no softdep (nothing to preload). The 7.2 series
# (patches/7.2) passes 7.2's checkpatch --strict. Ends with
# "N passed, N failed".
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(lib7_kernel)

# a separate copy: the modules are built against another tree
src=$SMBSIGN_BUILD/lib7-src
rm -rf "$src"
copy_sources "$src"
status=0
strict_log=$SMBSIGN_BUILD/lib7-build.log strict_build "$kdir" "$src" SMBSIGN_DEMO=m \
	SMBSIGN_VERSION="$(git -C "$SMBSIGN_ROOT" describe --always --dirty 2>/dev/null || echo lib7)" ||
	status=$?
# Debian 12's sparse (0.6.4) is too old for 7.x headers, and the kernel's
# Makefile then skips it: say so rather than claim a sparse-clean build.
# sparse runs on the 6.1 and 6.12 builds (build-matrix.sh).
what="W=1 C=1"
[ "$strict_sparse" = yes ] || what="W=1 (sparse too old for this kernel: not run)"
result $status "build against $(make -s -C "$kdir" kernelrelease) $what"
[ $status = 0 ] || { echo "$passed passed, $failed failed"; exit 1; }

# the 7.2 series as it would be posted to linux-cifs, with 7.2's own
# checkpatch.pl (tools/checkpatch-series.sh)
series_log=$SMBSIGN_BUILD/checkpatch-7.2.log
st=0
"$SMBSIGN_ROOT/tools/checkpatch-series.sh" "$kdir" "$SMBSIGN_ROOT/patches/7.2" >"$series_log" 2>&1 || st=$?
[ $st = 0 ] || head -40 "$series_log"
result $st "patches/7.2: checkpatch --strict (CamelCase only on MS-SMB2 names the tree declares)"

flags=$(grep -o -- '-DSMBSIGN_LIB_[A-Z]*' "$src/smbsign/.main.o.cmd" | sort -u | tr '\n' ' ')
grep -q HMAC <<<"$flags" && grep -q CMAC <<<"$flags" && grep -q GMAC <<<"$flags"
result $? "Kbuild probes chose the libraries: $(echo $flags)"
[ -z "$(modinfo -F softdep "$src/smbsign.ko")" ]
result $? "modinfo: no softdep on a library build"

SMBSIGN_ROOT=$src make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/check.sh" "$SMBSIGN_BUILD/check-7.cpio"
logf=$SMBSIGN_BUILD/check-7.log
log "booting the 7.x guest; console log in $logf"
start=$(date +%s)
run_guest "$kdir" "$SMBSIGN_BUILD/check-7.cpio" "$logf" || true
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

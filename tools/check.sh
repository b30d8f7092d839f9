#!/bin/bash
# make check: build the test kernel (cached) and the modules; builds
# against Debian's headers and checkpatch; every KUnit suite in a QEMU
# guest, parsed with kunit.py; the library build on Linux 7.2
# (tools/check-7.sh) and the 7.2 series end to end on it (tools/e2e.sh,
# SMBSIGN_E2E_KERNEL=7); Debian's own kernels with the smbsign-dkms
# package installed (tools/check-debian.sh); the end-to-end tests and the
# signing rules (tools/e2e.sh, SMBSIGN_E2E_ONLY=rules).
# make check-full (SMBSIGN_CHECK=full) adds what takes longest: the
# workloads (in the same guest as the rules: tools/e2e.sh), smbtorture
# (tools/torture.sh), every suite on the debug kernel
# (tools/check-debug.sh) and the end-to-end tests on it.
# Ends with "N passed, N failed"; exits non-zero on any failure, crash,
# kernel warning or timeout.
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(test_kernel)

# The other test kernels (the debug one for check-full, then 7.2) build
# in the background while the guests run on this one: a build and a guest
# at once, never two of either (build-kernel.sh takes a lock, so a stage
# that needs a kernel still building waits for it). The debug kernel comes
# first: its stages are the longer ones, and run while 7.2 builds.
prebuild_log=$SMBSIGN_BUILD/prebuild.log
(
	[ "${SMBSIGN_CHECK:-}" != full ] || debug_kernel >/dev/null
	lib7_kernel >/dev/null
) > "$prebuild_log" 2>&1 &
prebuild=$!
# and the trixie root that Debian 13's kernel's DKMS runs in
# (tools/check-debian.sh): downloads, meanwhile
"$SMBSIGN_ROOT/tools/check-debian.sh" prepare >"$SMBSIGN_BUILD/trixie-prepare.log" 2>&1 &

# Run stage $1 (a script ending "N passed, N failed"); show its lines and
# set stage_passed / stage_failed (a stage that reports nothing failed).
run_stage() {
	local out
	out=$("$@" 2>&1) || true
	printf '%s\n' "$out" | sed '$d' >&2
	stage_passed=$(tail -1 <<<"$out" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')
	stage_failed=$(tail -1 <<<"$out" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
	if [ -z "$stage_failed" ]; then
		log "$1 did not end with \"N passed, N failed\": $(tail -1 <<<"$out")"
		stage_passed=0 stage_failed=1
	fi
}

# run_stage, and its counts added to the totals
passed=0 failed=0
stage() {
	run_stage "$@"
	passed=$((passed + stage_passed))
	failed=$((failed + stage_failed))
}

log "== builds against Debian's 6.1 and 6.12 headers, checkpatch"
stage "$SMBSIGN_ROOT/tools/build-matrix.sh"

log "== KUnit suites in the QEMU guest"
build_modules "$kdir" SMBSIGN_DEMO=m
make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/check.sh" "$SMBSIGN_BUILD/check.cpio"

logf=$SMBSIGN_BUILD/check.log
log "booting the guest (TCG, 2 CPUs); console log in $logf"
start=$(date +%s)
status=0
run_guest "$kdir" "$SMBSIGN_BUILD/check.cpio" "$logf" || status=$?
log "guest ran $(( $(date +%s) - start ))s"

kunit_results "$kdir" "$logf" "$SMBSIGN_BUILD/check"
ran=$k_ran skipped=$k_skipped
log "KUnit: $k_passed passed, $k_failed failed, $skipped skipped (of $ran)"
passed=$((passed + k_passed))
failed=$((failed + k_failed))

# The guest CPU (-cpu max) has AES-NI and PCLMULQDQ: smbsign must be on them.
drivers=$(grep -o 'smbsign .*self-tests passed.*' "$logf" | tr -d '\r' || true)
log "${drivers:-no self-test line from smbsign}"
if ! grep -q 'aes-cmac: cmac(aes-aesni)' <<<"$drivers" ||
   ! grep -q 'aes-gmac: __ghash-pclmulqdqni+aes-aesni' <<<"$drivers"; then
	log "smbsign is not on the AES-NI / PCLMULQDQ drivers"
	failed=$((failed + 1))
fi

for ok in SMBSIGN-SECRETS-OK SMBSIGN-TRACE-OK; do
	if grep -q "$ok" "$logf"; then
		log "$(grep -o "$ok.*" "$logf" | tr -d '\r')"
		passed=$((passed + 1))
	else
		log "no $ok line from the guest"
		failed=$((failed + 1))
	fi
done
trouble=$(guest_trouble "$logf")
if [ -n "$trouble" ]; then
	log "kernel trouble in the guest:"
	log "$trouble"
	failed=$((failed + 1))
fi
if ! grep -q SMBSIGN-GUEST-DONE "$logf"; then
	log "the guest did not finish (status $status): crash or timeout; see $logf"
	tail -30 "$logf" >&2
	failed=$((failed + 1))
fi
if [ "$ran" -eq 0 ]; then
	log "no KUnit result was parsed"
	failed=$((failed + 1))
fi
[ "$skipped" -eq 0 ] || log "$skipped skipped"

log "== Debian's own 6.12, 6.1 and 7.2 kernels with the smbsign-dkms package (make deb, apt install)"
stage "$SMBSIGN_ROOT/tools/check-debian.sh"

if [ "${SMBSIGN_CHECK:-}" != full ]; then
	log "== end to end: patched cifs and ksmbd, Samba, smbclient, impacket, the signing rules"
	SMBSIGN_E2E_ONLY=rules stage "$SMBSIGN_ROOT/tools/e2e.sh"
else
	# one guest for both: a boot and the peers' setup less
	log "== end to end: patched cifs and ksmbd, Samba, smbclient, impacket, the signing rules;"
	log "   workloads on signed mounts of ksmbd per algorithm, of Samba under AES-GMAC"
	stage "$SMBSIGN_ROOT/tools/e2e.sh"

	log "== every suite again on the debug kernel (KASAN, UBSAN, lockdep, kmemleak, fault injection)"
	stage "$SMBSIGN_ROOT/tools/check-debug.sh"

	log "== end to end on the debug kernel: the rules and the AES-GMAC workloads"
	SMBSIGN_E2E_KERNEL=debug stage "$SMBSIGN_ROOT/tools/e2e.sh"

	log "== smbtorture against ksmbd: the patched modules per algorithm, the stock ones as baseline"
	stage "$SMBSIGN_ROOT/tools/torture.sh"
fi

wait $prebuild || log "building the debug or the 7.2 kernel in the background failed: $prebuild_log"

log "== the library build: Linux 7.2, HMAC-SHA256 / AES-CMAC / GHASH library backends"
stage "$SMBSIGN_ROOT/tools/check-7.sh"

log "== end to end on Linux 7.2: the 7.2 series (patches/7.2), Samba, smbclient, impacket, the rules"
SMBSIGN_E2E_KERNEL=7 stage "$SMBSIGN_ROOT/tools/e2e.sh"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

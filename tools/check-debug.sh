#!/bin/bash
# make check-debug: every suite on the debug test kernel (KASAN, UBSAN,
# lockdep, atomic-sleep checks, kmemleak, debug objects, failslab and
# fail_page_alloc; panic_on_warn), with 100000 fuzz iterations, the
# fault-injected module loads, the unload-safety check and a kmemleak scan
# that must be empty. Any sanitizer report or WARN fails it. Ends with
# "N passed, N failed".
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(debug_kernel)
# a separate copy: the modules are built against another tree
src=$SMBSIGN_BUILD/debug-src
rm -rf "$src"
copy_sources "$src"
make -s -j"$(nproc)" -C "$src" KDIR="$kdir" SMBSIGN_DEMO=m SMBSIGN_VERSION="$(git -C "$SMBSIGN_ROOT" describe --always --dirty 2>/dev/null || echo debug)" modules >&2
SMBSIGN_ROOT=$src make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/check-debug.sh" "$SMBSIGN_BUILD/check-debug.cpio"

logf=$SMBSIGN_BUILD/check-debug.log
log "booting the debug guest; console log in $logf"
start=$(date +%s)
SMBSIGN_GUEST_MEM=2048 run_guest "$kdir" "$SMBSIGN_BUILD/check-debug.cpio" "$logf" \
	"panic_on_warn=1 kmemleak=on" || true
log "debug guest ran $(( $(date +%s) - start ))s"

kunit_results "$kdir" "$logf" "$SMBSIGN_BUILD/check-debug"
log "KUnit (debug kernel): $k_passed passed, $k_failed failed, $k_skipped skipped (of $k_ran)"
tr -d '\r' < "$logf" | grep -E '^CHECK (ok|FAIL)' | sed 's/^CHECK //' >&2
passed=$((k_passed + $(grep -c '^CHECK ok' "$logf" || true)))
failed=$((k_failed + $(grep -c '^CHECK FAIL' "$logf" || true)))
trouble=$(guest_trouble "$logf")
if [ -n "$trouble" ]; then
	log "kernel trouble in the debug guest:"; log "$(head -60 <<<"$trouble")"
	failed=$((failed + 1))
fi
if ! grep -q SMBSIGN-GUEST-DONE "$logf"; then
	log "the debug guest did not finish: crash or timeout; see $logf"
	tail -40 "$logf" >&2
	failed=$((failed + 1))
fi
[ "$k_ran" -gt 0 ] || { log "no KUnit result was parsed"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/bash
# The peer's test suite: smbtorture against ksmbd in the guest, through
# the patched modules per algorithm and the stock 6.12 ksmbd as baseline
# (tools/torture.py). Per-test results and the side-by-side table in
# build/torture/. Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

ensure_host_packages
ensure_peer_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(test_kernel)
smb_guest_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/torture.sh" "$SMBSIGN_BUILD/torture.cpio"
logf=$SMBSIGN_BUILD/torture.log
out=$SMBSIGN_BUILD/torture
hostlog=$SMBSIGN_BUILD/torture-host.log
rm -f "$logf"
start=$(date +%s)
guest_args
timeout "$SMBSIGN_TIMEOUT" /usr/bin/python3 "$SMBSIGN_ROOT/tools/torture.py" \
	--kdir "$kdir" --initrd "$SMBSIGN_BUILD/torture.cpio" --log "$logf" --out "$out" \
	--list "$SMBSIGN_ROOT/tools/torture/ksmbd-ci.list" \
	--known "$SMBSIGN_ROOT/tools/torture/known.txt" \
	${SMBSIGN_TORTURE_RUNS:+--runs "$SMBSIGN_TORTURE_RUNS"} \
	${SMBSIGN_TORTURE_TESTS:+--tests "$SMBSIGN_TORTURE_TESTS"} \
	${SMBSIGN_TORTURE_FULL:+--full} > "$hostlog" 2>&1 || true
log "smbtorture stage ran $(( $(date +%s) - start ))s"
grep -E '^smbtorture ' "$hostlog" >&2 || true
[ -f "$out/table.txt" ] && log "per-test results side by side: $out/table.txt"
stage_result "$logf" "$hostlog"

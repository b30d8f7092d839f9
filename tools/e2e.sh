#!/bin/bash
# End-to-end tests: the patched cifs and ksmbd sign through smbsign.
# Builds the networked test kernel (cached), smbsign, the patched modules,
# a guest with Debian's ksmbd-tools, and runs tools/guest/e2e.sh in it.
# Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(test_kernel)
build_modules "$kdir"
SMBSIGN_SMB_MODULES=$("$SMBSIGN_ROOT/tools/build-smb-modules.sh" "$kdir")
export SMBSIGN_SMB_MODULES SMBSIGN_KDIR=$kdir
make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/e2e.sh" "$SMBSIGN_BUILD/e2e.cpio.gz" install_smb_peers
logf=$SMBSIGN_BUILD/e2e.log
hostlog=$SMBSIGN_BUILD/e2e-host.log
rm -f "$logf"
start=$(date +%s)
# the host's peers: Samba smbd, smbclient, impacket, tampering proxies
ensure_peer_packages
timeout "$SMBSIGN_TIMEOUT" /usr/bin/python3 "$SMBSIGN_ROOT/tools/e2e_host.py" \
	--kdir "$kdir" --initrd "$SMBSIGN_BUILD/e2e.cpio.gz" --log "$logf" \
	> "$hostlog" 2>&1 || true
log "e2e stage ran $(( $(date +%s) - start ))s"
cat "$logf" "$hostlog" | tr -d '\r' | grep -E '^E2E (ok|FAIL)' | sed 's/^E2E //'
passed=$(cat "$logf" "$hostlog" | grep -c '^E2E ok' || true)
failed=$(cat "$logf" "$hostlog" | grep -c '^E2E FAIL' || true)
grep -vE '^E2E (ok|FAIL)' "$hostlog" | tail -20 >&2 || true
trouble=$(guest_trouble "$logf")
if [ -n "$trouble" ]; then
	log "kernel trouble in the guest:"; log "$trouble"
	failed=$((failed + 1))
fi
if ! grep -q SMBSIGN-GUEST-DONE "$logf"; then
	log "the guest did not finish; see $logf"; tail -30 "$logf" >&2
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

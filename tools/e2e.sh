#!/bin/bash
# End-to-end tests: the patched cifs and ksmbd sign through smbsign.
# Builds the networked test kernel (cached), smbsign, the patched modules,
# a guest with Debian's ksmbd-tools, and runs tools/guest/e2e.sh in it.
# Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(test_kernel "$SMBSIGN_ROOT/tools/kconfig/base.config" "$SMBSIGN_ROOT/tools/kconfig/net.config")
build_modules "$kdir"
smb=$("$SMBSIGN_ROOT/tools/build-smb-modules.sh" "$kdir")
extra_root() {
	local root=$1 kver
	kver=$(make -s -C "$kdir" kernelrelease)
	cp "$smb/fs/smb/client/cifs.ko" "$root/lib/modules/$kver/kernel/fs/smb/client/cifs.ko"
	cp "$smb/fs/smb/server/ksmbd.ko" "$root/lib/modules/$kver/kernel/fs/smb/server/ksmbd.ko"
	depmod -b "$root" "$kver"
	install_ksmbd_tools "$root"
}
make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/e2e.sh" "$SMBSIGN_BUILD/e2e.cpio.gz" extra_root
logf=$SMBSIGN_BUILD/e2e.log
start=$(date +%s)
run_guest "$kdir" "$SMBSIGN_BUILD/e2e.cpio.gz" "$logf" || true
log "e2e guest ran $(( $(date +%s) - start ))s"
tr -d '\r' < "$logf" | grep -E '^E2E (ok|FAIL)' | sed 's/^E2E //'
passed=$(grep -c '^E2E ok' "$logf" || true)
failed=$(grep -c '^E2E FAIL' "$logf" || true)
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

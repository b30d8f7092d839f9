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
	cp "$SMBSIGN_ROOT/tools/guest/ctl.sh" "$root/ctl.sh"
	# guest cifs -> host smbd cells: address dialect algorithm password
	# (tools/e2e_host.py starts those smbd and the guestfwd behind them)
	cat > "$root/etc/smbsign-peers" <<PEERS
10.0.2.100 2.1 hmac-sha256 secret-smbd
10.0.2.100 3.1.1 hmac-sha256 secret-smbd
10.0.2.101 3.0 aes-cmac secret-smbd
10.0.2.101 3.1.1 aes-cmac secret-smbd
10.0.2.102 3.1.1 aes-gmac secret-smbd
PEERS
}
make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/e2e.sh" "$SMBSIGN_BUILD/e2e.cpio.gz" extra_root
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

#!/bin/bash
# make demo: boot the test guest and show smbsign doing its job: a small
# consumer signs and verifies one message per algorithm; then ksmbd and
# cifs (patched to sign through smbsign) load it with modprobe, ksmbd
# exports a share, cifs mounts it with signing required on SMB 3.1.1,
# which negotiates AES-GMAC, a file goes in and out, and the statistics
# show what was signed by which algorithm on which crypto driver.
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(test_kernel)
smb_guest_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/demo.sh" "$SMBSIGN_BUILD/demo.cpio" \
	SMBSIGN_DEMO=m
logf=$SMBSIGN_BUILD/demo.log
log "booting the guest (QEMU TCG, -cpu max: AES-NI, PCLMULQDQ emulated)"
run_guest "$kdir" "$SMBSIGN_BUILD/demo.cpio" "$logf" || true
sed -n '/^=== /,/SMBSIGN-GUEST-DONE/p' "$logf" | grep -v SMBSIGN-GUEST-DONE | tr -d '\r'
trouble=$(guest_trouble "$logf")
if [ -n "$trouble" ] || ! grep -q SMBSIGN-GUEST-DONE "$logf" ||
   ! grep -qE '^aes-gmac +__ghash-pclmulqdqni\+aes-aesni +[1-9]' "$logf"; then
	log "the demo failed; see $logf"
	log "$trouble"
	exit 1
fi

#!/bin/bash
# make demo: boot the test guest and show smbsign at work: the self-test
# line with the crypto drivers, the parameters, one message signed and
# verified per algorithm by a demonstration consumer, and the statistics.
. "$(dirname "$0")/lib.sh"

ensure_host_packages
mkdir -p "$SMBSIGN_BUILD"
kdir=$(test_kernel)
build_modules "$kdir" SMBSIGN_DEMO=m
make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/demo.sh" "$SMBSIGN_BUILD/demo.cpio.gz"
logf=$SMBSIGN_BUILD/demo.log
log "booting the guest (QEMU TCG, -cpu max: AES-NI, PCLMULQDQ emulated)"
run_guest "$kdir" "$SMBSIGN_BUILD/demo.cpio.gz" "$logf" || true
sed -n '/^=== /,/SMBSIGN-GUEST-DONE/p' "$logf" | grep -v SMBSIGN-GUEST-DONE | tr -d '\r'
trouble=$(guest_trouble "$logf")
if [ -n "$trouble" ] || ! grep -q SMBSIGN-GUEST-DONE "$logf"; then
	log "the demo failed; see $logf"
	log "$trouble"
	exit 1
fi

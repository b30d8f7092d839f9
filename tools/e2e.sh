#!/bin/bash
# End-to-end tests: the patched cifs and ksmbd sign through smbsign.
# Builds the networked test kernel (cached), smbsign, the patched modules,
# a guest with Debian's ksmbd-tools, and runs tools/guest/e2e.sh in it
# (the signing rules, the workloads) with the host's peers
# (tools/e2e_host.py). With SMBSIGN_E2E_KERNEL=debug the same on the
# KASAN / UBSAN / lockdep / kmemleak kernel, panic_on_warn on, and a
# kmemleak scan at the end that must be empty, and a shorter list of
# workloads (see below); with SMBSIGN_E2E_KERNEL=7 the 7.2 series on the
# Linux 7.2 kernel. SMBSIGN_E2E_ONLY=rules leaves the workloads
# out, SMBSIGN_E2E_ONLY=workloads runs only them, SMBSIGN_E2E_ONLY=locks
# only the locks workload, SMBSIGN_LOCK_RUNS times (20) per algorithm,
# to measure how often a blocking lock hangs; SMBSIGN_PATCHES
# (tools/build-smb-modules.sh) picks the patches.
# Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

ensure_host_packages
# the host's peers (Samba smbd, smbclient, impacket) and the workload
# tools copied into the guest (fio, attr)
ensure_peer_packages
mkdir -p "$SMBSIGN_BUILD"
if [ "${SMBSIGN_E2E_KERNEL:-plain}" = debug ]; then
	kdir=$(debug_kernel)
	tag=e2e-debug append="panic_on_warn=1 kmemleak=on" mem=2048
elif [ "${SMBSIGN_E2E_KERNEL:-plain}" = 7 ]; then
	# the 7.2 series (patches/7.2) on the Linux 7.2 test kernel, smbsign
	# on the libraries: the checks that hold without smbsign's policy
	# parameters (guest/e2e.sh, mode upstream)
	kdir=$(lib7_kernel)
	# Debian 13's ksmbd-tools (3.5.3), which a 7.2 kernel's users have:
	# 7.2.11's ksmbd refuses the share configuration of Debian 12's
	# (3.4.7), which leaves payload_sz zero (Documentation/smbsign.rst)
	SMBSIGN_KSMBD_TOOLS_ROOT=$("$SMBSIGN_ROOT/tools/trixie-root.sh" ksmbd-tools) ||
		{ echo "0 passed, 1 failed"; exit 1; }
	export SMBSIGN_KSMBD_TOOLS_ROOT
	tag=e2e-7 append="smbsign_e2e=upstream" mem=1536
else
	kdir=$(test_kernel)
	tag=e2e append= mem=1536
fi
if [ "$tag" != e2e ]; then
	# a copy of the sources: the modules are built against another tree
	src=$SMBSIGN_BUILD/$tag-src
	rm -rf "$src"
	copy_sources "$src"
	SMBSIGN_ROOT=$src
fi
# SMBSIGN_E2E_ONLY=rules: the signing rules without the workloads
# (make check); SMBSIGN_E2E_ONLY=workloads: the workloads alone (make
# check-full); on the debug kernel (KASAN: several times slower) by
# default the rules, and the workloads against ksmbd under AES-GMAC only
if [ -n "${SMBSIGN_E2E_ONLY:-}" ]; then
	append="$append smbsign_e2e=$SMBSIGN_E2E_ONLY"
	# SMBSIGN_E2E_ONLY=locks: the locks workload alone,
	# SMBSIGN_LOCK_RUNS times per algorithm (guest/e2e.sh)
	[ "$SMBSIGN_E2E_ONLY" != locks ] || append="$append smbsign_locks=${SMBSIGN_LOCK_RUNS:-20}"
elif [ "$tag" = e2e-debug ]; then
	append="$append smbsign_e2e=short"
fi
smb_guest_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/e2e.sh" "$SMBSIGN_BUILD/$tag.cpio"
logf=$SMBSIGN_BUILD/$tag.log
hostlog=$SMBSIGN_BUILD/$tag-host.log
rm -f "$logf"
start=$(date +%s)
# the rules and the workloads in one guest take twice a stage's time
limit=$SMBSIGN_TIMEOUT
[ -n "${SMBSIGN_E2E_ONLY:-}" ] || [ "$tag" != e2e ] || limit=$((SMBSIGN_TIMEOUT * 2))
guest_args
timeout "$limit" /usr/bin/python3 "$SMBSIGN_ROOT/tools/e2e_host.py" \
	--kdir "$kdir" --initrd "$SMBSIGN_BUILD/$tag.cpio" --log "$logf" \
	--append "$append" --mem "$mem" > "$hostlog" 2>&1 || true
log "$tag stage ran $(( $(date +%s) - start ))s"
grep -vE '^E2E (ok|FAIL)' "$hostlog" | tail -20 >&2 || true
stage_result "$logf" "$hostlog"

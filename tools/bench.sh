#!/bin/bash
# make bench: the performance evidence, separate from the tests. Boots the
# test guest (QEMU TCG, -cpu max, 2 CPUs) with smbsign_bench.ko, the
# patched cifs/ksmbd and the stock 6.12 ones, and writes to results/:
#   bench.txt       the tables (ns/op, MB/s, ratios, targets)
#   bench.csv       one row per micro-benchmark figure
#   bench-e2e.csv   the copies over cifs -> ksmbd
#   bench-smp.csv   one key on one and two CPUs
#   bench.png       throughput against message size, per algorithm
#   bench.log       the guest's console
# TCG emulates the CPU: only ratios between figures of one run mean
# anything. Environment: SMBSIGN_BENCH_MB (copy size, default 48; 0 skips
# the copies), SMBSIGN_BENCH_ARGS (smbsign_bench.ko parameters),
# SMBSIGN_KSERIES=7: the same on Linux 7.2, where smbsign is built on the
# HMAC-SHA256 / AES-CMAC / GHASH libraries, the copies through the 7.2
# series (patches/7.2) against the stock 7.2 modules, which sign with the
# kernel's AES-CMAC library; into results/linux-7.
. "$(dirname "$0")/lib.sh"

ensure_host_packages
command -v gnuplot >/dev/null || {
	log "installing gnuplot-nox"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnuplot-nox >&2
}
mkdir -p "$SMBSIGN_BUILD"
series=${SMBSIGN_KSERIES:-6.12}
mb=${SMBSIGN_BENCH_MB:-48}
if [ "$series" = 6.12 ]; then
	results=${SMBSIGN_RESULTS:-$SMBSIGN_ROOT/results}
	kdir=$(test_kernel)
else
	results=${SMBSIGN_RESULTS:-$SMBSIGN_ROOT/results/linux-$series}
	kdir=$(lib7_kernel)
	# Debian 13's ksmbd-tools, as in the 7.2 end-to-end tests (e2e.sh)
	SMBSIGN_KSMBD_TOOLS_ROOT=$("$SMBSIGN_ROOT/tools/trixie-root.sh" ksmbd-tools)
	export SMBSIGN_KSMBD_TOOLS_ROOT
fi
mkdir -p "$results"
build_modules "$kdir" SMBSIGN_BENCH=m
export SMBSIGN_KDIR=$kdir
if [ "$mb" -gt 0 ]; then
	SMBSIGN_SMB_MODULES=$("$SMBSIGN_ROOT/tools/build-smb-modules.sh" "$kdir")
	export SMBSIGN_SMB_MODULES
fi

# The stock cifs.ko/ksmbd.ko of the test kernel, before the patched ones
# take their place; GNU date for nanosecond timestamps (busybox's has
# seconds only).
bench_root() {
	local root=$1 kver
	kver=$(make -s -C "$SMBSIGN_KDIR" kernelrelease)
	if [ "$mb" -gt 0 ]; then
		install_smb_peers "$root"	# keeps the stock modules in /stock
	fi
	copy_binaries "$root" /bin/date
	mv "$root/bin/date" "$root/bin/gnudate"	# busybox links its own date
	echo "$mb" > "$root/bench-mb"
	echo "${SMBSIGN_BENCH_ARGS:-}" > "$root/bench-args"
}
make_initramfs "$kdir" "$SMBSIGN_ROOT/tools/guest/bench.sh" "$SMBSIGN_BUILD/bench.cpio" bench_root

logf=$results/bench.log
log "booting the guest (QEMU TCG -cpu max -smp 2); this takes a few minutes"
start=$(date +%s)
SMBSIGN_GUEST_MEM=2048 run_guest "$kdir" "$SMBSIGN_BUILD/bench.cpio" "$logf" || true
log "guest ran $(( $(date +%s) - start ))s"
trouble=$(guest_trouble "$logf")
if [ -n "$trouble" ] || ! grep -q SMBSIGN-GUEST-DONE "$logf"; then
	log "the benchmark run failed; see $logf"
	log "$trouble"
	exit 1
fi
python3 "$SMBSIGN_ROOT/tools/bench_report.py" "$logf" "$results"

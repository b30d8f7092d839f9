#!/bin/bash
# Shared by check.sh, demo.sh: host packages, the test kernel, the modules,
# the initramfs and one QEMU run. Source it; it sets -euo pipefail.
set -euo pipefail

SMBSIGN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SMBSIGN_BUILD=${SMBSIGN_BUILD:-$SMBSIGN_ROOT/build}
SMBSIGN_TIMEOUT=${SMBSIGN_TIMEOUT:-1200}
export SMBSIGN_ROOT SMBSIGN_BUILD

log() { printf '%s\n' "$*" >&2; }

# Every guest: QEMU's microvm machine under TCG with two CPUs. It has
# neither ACPI nor PCI, so the test kernels build neither: its firmware
# (qboot) lists both CPUs in an MP table, the NIC is virtio over MMIO
# (QEMU names the devices on the kernel command line), and its only
# reset is a triple fault (reboot=t), which -no-reboot turns into
# QEMU's exit. It has no HPET or ACPI PM timer either: calibrating the
# TSC against the PIT fails when the host is busy, and a watchdog
# against jiffies then calls it unstable, which leaves the guest's clock
# at jiffies' resolution. Under TCG the guest's TSC is the host's, read
# through, so the host measures its rate (tools/bin/tsc_khz.c) and the
# guest takes it as given (tsc_early_khz=, tsc=reliable): guest_args,
# called before a guest starts (run_guest; tools/e2e.sh and torture.sh
# before tools/e2e_lib.py starts its guests with the same arguments),
# measures it once per run, after ensure_host_packages has gcc in place.
SMBSIGN_QEMU_ARGS="-machine microvm,acpi=off -accel tcg -cpu max -smp 2 -display none -monitor none -no-reboot"
export SMBSIGN_QEMU_ARGS
guest_args() {
	[ -z "${SMBSIGN_KERNEL_ARGS:-}" ] || return 0
	mkdir -p "$SMBSIGN_BUILD"
	gcc -O2 -o "$SMBSIGN_BUILD/tsc_khz" "$SMBSIGN_ROOT/tools/bin/tsc_khz.c"
	SMBSIGN_KERNEL_ARGS="console=ttyS0 quiet panic=-1 reboot=t tsc_early_khz=$("$SMBSIGN_BUILD/tsc_khz") tsc=reliable"
	export SMBSIGN_KERNEL_ARGS
}

# One check of a stage: $1 its exit status, $2 what it checked. Prints
# "ok"/"FAIL" and counts into passed / failed (the stage's summary line).
passed=0 failed=0
result() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1)); echo "ok   $2"
	else
		failed=$((failed + 1)); echo "FAIL $2"
	fi
}

# Debian packages the harness needs; installed only when something is missing.
ensure_host_packages() {
	local need=()
	[ -r /usr/src/linux-source-6.12.tar.xz ] || need+=(linux-source-6.12)
	command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
	[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx modprobe || need+=(busybox-static)
	command -v cpio >/dev/null || need+=(cpio)
	command -v depmod >/dev/null || need+=(kmod)
	command -v bc >/dev/null || need+=(bc)
	command -v flex >/dev/null || need+=(flex)
	command -v bison >/dev/null || need+=(bison)
	command -v python3 >/dev/null || need+=(python3)
	command -v gcc >/dev/null || need+=(gcc)
	command -v make >/dev/null || need+=(make)
	command -v perl >/dev/null || need+=(perl)
	command -v rsync >/dev/null || need+=(rsync)
	# tools/ksrc.sh fetches the 7.2 source with it, in the background of
	# make check: it must not need apt-get then
	command -v curl >/dev/null || need+=(curl)
	# tools/check-debian.sh makes its trixie root with it, likewise
	command -v debootstrap >/dev/null || need+=(debootstrap)
	[ -e /usr/include/libelf.h ] || need+=(libelf-dev)
	[ -e /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
	if [ ${#need[@]} -gt 0 ]; then
		log "installing: ${need[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
	fi
}

# The end-to-end peers. One at a time: ksmbd-tools conflicts with samba,
# and apt's resolver trips over the set at once; ksmbd-tools itself is
# only unpacked into the guest (install_ksmbd_tools).
ensure_peer_packages() {
	local pkg policy=/usr/sbin/policy-rc.d ours=
	# The tests start their own smbd on 127.0.0.1; the package must not
	# start the distribution's on every address (Debian's policy-rc.d).
	if [ ! -e $policy ]; then
		printf '#!/bin/sh\nexit 101\n' > $policy
		chmod +x $policy
		ours=1
	fi
	for pkg in samba smbclient python3-impacket netcat-openbsd samba-testsuite fio attr; do
		dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' && continue
		log "installing $pkg"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2 || {
			apt-get update -qq >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2
		}
	done
	[ -z "$ours" ] || rm -f $policy
}

# The sources as git sees them (tracked and new, not ignored) copied into
# $1, so a build against another tree never races one in the work tree.
copy_sources() {
	local dst=$1
	mkdir -p "$dst"
	git -C "$SMBSIGN_ROOT" ls-files -z --cached --others --exclude-standard |
		(cd "$SMBSIGN_ROOT" && xargs -0 cp --parents -t "$dst")
}

# A warning-free build: make $3... in the sources $2 against tree $1 with
# W=1 and sparse (C=1), output in $strict_log. Fails on any warning or
# error (the top Makefile's pahole-version notice is about the host's
# tools, not the code). Sets strict_sparse to "no" when the tree's
# Makefile found sparse missing or too old for it.
strict_build() {
	local kdir=$1 src=$2 status=0
	shift 2
	make -j"$(nproc)" -C "$kdir" M="$src" W=1 C=1 "$@" modules >"$strict_log" 2>&1 || status=$?
	if [ $status = 0 ] && grep -E 'warning:|error:' "$strict_log" |
			grep -v 'pahole version differs' >&2; then
		status=1
	fi
	strict_sparse=yes
	! grep -q 'sparse is not available or not up to date' "$strict_log" || strict_sparse=no
	[ $status = 0 ] || tail -30 "$strict_log" >&2
	return $status
}

# The cached test kernel tree (tools/build-kernel.sh); its path on stdout.
test_kernel() {
	"$SMBSIGN_ROOT/tools/build-kernel.sh" "$@"
}

# The debug test kernel: sanitizers, lockdep, kmemleak, fault injection on
# top of base + net (check-debug, the end-to-end tests on it, check.sh's
# background build: one config, so one cached tree).
debug_kernel() {
	test_kernel "$SMBSIGN_ROOT/tools/kconfig/base.config" \
		"$SMBSIGN_ROOT/tools/kconfig/net.config" \
		"$SMBSIGN_ROOT/tools/kconfig/debug.config"
}

# The Linux 7.2 test kernel of the library build (check-7, check.sh's
# background build), with fault injection, and with networking, cifs and
# ksmbd for the 7.2 series' end-to-end run: one config, so one tree.
lib7_kernel() {
	SMBSIGN_KSERIES=7 test_kernel "$SMBSIGN_ROOT/tools/kconfig/base.config" \
		"$SMBSIGN_ROOT/tools/kconfig/net.config" \
		"$SMBSIGN_ROOT/tools/kconfig/faults.config"
}

# smbsign.ko and its KUnit (and demo) modules against tree $1.
build_modules() {
	local kdir=$1
	shift
	make -s -j"$(nproc)" -C "$SMBSIGN_ROOT" KDIR="$kdir" "$@" modules >&2
}

# The cifs/ksmbd patch series for kernel tree $1: patches/<X.Y>, by the
# tree's version. Prints the series' directory; fails if there is none.
patch_series_of() {
	local series
	series=$(make -s -C "$1" kernelversion | cut -d. -f1,2)
	[ -d "$SMBSIGN_ROOT/patches/$series" ] || { log "no patch series for Linux $series"; return 1; }
	echo "$SMBSIGN_ROOT/patches/$series"
}

# The patches of series directory $1, in order: the cover letter of a
# series shaped for the list is mail, not a patch.
series_patches() {
	ls "$1"/0*.patch | grep -v -- '-cover-letter\.patch$'
}

# fs/smb of kernel tree $1, and the fs/nls headers cifs includes by
# relative path, copied into $2: to patch and build out of tree.
copy_smb_sources() {
	mkdir -p "$2"
	(cd "$1" && {
		find fs/smb -type f \( -name '*.[ch]' -o -name Makefile -o -name Kconfig \
			-o -name '*.asn1' -o -name 'gen_*' \)
		find fs/nls -name '*.h'
	} | cpio -pdm --quiet "$2")
}

# cifs.ko and ksmbd.ko from the fs/smb copied into $2, built against tree
# $1 and smbsign's Module.symvers and header, so they import the SMBSIGN
# namespace. smbsign must be built against $1.
make_smb_modules() {
	local m
	for m in client server; do
		make -s -j"$(nproc)" -C "$1" M="$2/fs/smb/$m" \
			KBUILD_EXTRA_SYMBOLS="$SMBSIGN_ROOT/Module.symvers" \
			KCFLAGS="-I$SMBSIGN_ROOT/include" modules || return
	done
}

# Initramfs $3 of a guest on tree $1 that runs payload $2 with the patched
# cifs and ksmbd and their peers (install_smb_peers): smbsign built (more
# make arguments after $3), the patched modules built or reused.
smb_guest_initramfs() {
	local kdir=$1 payload=$2 cpio=$3
	shift 3
	build_modules "$kdir" "$@"
	SMBSIGN_SMB_MODULES=$("$SMBSIGN_ROOT/tools/build-smb-modules.sh" "$kdir")
	export SMBSIGN_SMB_MODULES SMBSIGN_KDIR=$kdir
	make_initramfs "$kdir" "$payload" "$cpio" install_smb_peers
}

# Copy host binaries and the shared libraries ldd lists into root $1.
copy_binaries() {
	local root=$1 bin lib
	shift
	for bin in "$@"; do
		mkdir -p "$root$(dirname "$bin")"
		cp -L "$bin" "$root$bin"
		for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -Ln "$lib" "$root$lib" 2>/dev/null || true
		done
	done
}

# Debian's ksmbd-tools in guest root $1: the .deb is unpacked (on the
# host it conflicts with samba), its libraries come from the host, and
# glibc's UTF-16 converters, without which the password hash is wrong.
# With $2, a Debian root where ksmbd-tools is installed (tools/trixie-root.sh),
# the tools, their libraries (glibc included: the host's programs in the
# guest run on the newer one as well) and the converters come from there.
install_ksmbd_tools() {
	local root=$1 from=${2:-} debs=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}/debs lib f
	if [ -n "$from" ]; then
		for f in /usr/libexec/ksmbd.tools /usr/sbin/ksmbd.{addshare,adduser,control,mountd}; do
			mkdir -p "$root$(dirname "$f")"
			cp -a "$from$f" "$root$f"
		done
		for lib in $(chroot "$from" ldd /usr/libexec/ksmbd.tools | grep -oE '/[^ ]+'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$from$lib" "$root$lib"
		done
	else
		mkdir -p "$debs"
		if ! ls "$debs"/ksmbd-tools_*.deb >/dev/null 2>&1; then
			(cd "$debs" && apt-get download ksmbd-tools >&2 2>/dev/null) ||
				(apt-get update -qq >&2 && cd "$debs" && apt-get download ksmbd-tools >&2)
		fi
		for pkg in libglib2.0-0 libnl-3-200 libnl-genl-3-200; do
			dpkg -s "$pkg" >/dev/null 2>&1 ||
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2
		done
		dpkg-deb -x "$(ls "$debs"/ksmbd-tools_*.deb | tail -1)" "$root"
		for lib in $(ldd "$root/usr/libexec/ksmbd.tools" | grep -oE '/[^ ]+'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -Ln "$lib" "$root$lib"
		done
	fi
	mkdir -p "$root/usr/lib/x86_64-linux-gnu/gconv"
	cp -a "$from"/usr/lib/x86_64-linux-gnu/gconv/{UTF-16.so,UNICODE.so,gconv-modules,gconv-modules.cache,gconv-modules.d} \
		"$root/usr/lib/x86_64-linux-gnu/gconv/"
	echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
	echo 'root:x:0:' > "$root/etc/group"
}

# What the workloads run in guest root $1: fio, getfattr/setfattr, flock
# (with their libraries) and lockwait, built here as a static binary.
install_workload_tools() {
	local root=$1
	copy_binaries "$root" "$(command -v fio)" "$(command -v getfattr)" \
		"$(command -v setfattr)" "$(command -v flock)"
	mkdir -p "$root/bin"
	gcc -static -O2 -o "$root/bin/lockwait" "$SMBSIGN_ROOT/tools/guest/bin/lockwait.c"
}

# Guest root $1 for SMB traffic: the patched cifs.ko and ksmbd.ko (from
# tools/build-smb-modules.sh, in $SMBSIGN_SMB_MODULES, built for
# $SMBSIGN_KDIR) in place of the stock ones, ksmbd-tools (Debian 12's, or
# those of the root in $SMBSIGN_KSMBD_TOOLS_ROOT), the control script the
# host drives, and the list of host smbd peers.
install_smb_peers() {
	local root=$1 kver
	kver=$(make -s -C "$SMBSIGN_KDIR" kernelrelease)
	# the stock modules stay at hand, for the cases that compare or need them
	mkdir -p "$root/stock"
	cp "$root/lib/modules/$kver/kernel/fs/smb/client/cifs.ko" \
	   "$root/lib/modules/$kver/kernel/fs/smb/server/ksmbd.ko" "$root/stock/"
	cp "$SMBSIGN_SMB_MODULES/fs/smb/client/cifs.ko" "$root/lib/modules/$kver/kernel/fs/smb/client/cifs.ko"
	cp "$SMBSIGN_SMB_MODULES/fs/smb/server/ksmbd.ko" "$root/lib/modules/$kver/kernel/fs/smb/server/ksmbd.ko"
	depmod -b "$root" "$kver"
	install_ksmbd_tools "$root" "${SMBSIGN_KSMBD_TOOLS_ROOT:-}"
	cp "$SMBSIGN_ROOT/tools/guest/ctl.sh" "$root/ctl.sh"
	cp "$SMBSIGN_ROOT/tools/guest/ksmbd-setup.sh" "$root/ksmbd-setup.sh"
	cp "$SMBSIGN_ROOT/tools/guest/cells.sh" "$root/cells.sh"
	cp "$SMBSIGN_ROOT/tools/guest/e2e-rules.sh" "$root/e2e-rules.sh"
	cp "$SMBSIGN_ROOT/tools/guest/workloads.sh" "$root/workloads.sh"
	install_workload_tools "$root"
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

# A guest root for kernel release $1 with payload $2: busybox, Debian's
# kmod (busybox's modprobe ignores modules.softdep) and the guest init.
# Prints the directory; pack_initramfs turns it into the initramfs.
initramfs_root() {
	local kver=$1 payload=$2 root
	root=$(mktemp -d "$SMBSIGN_BUILD/root.XXXXXX")
	# the guest's / as a system's is (mktemp made it 0700): 7.x's ksmbd
	# opens a share's path under the user's credentials, and tester must
	# get through / to /srv/share
	chmod 0755 "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,root} "$root/lib/modules/$kver"
	cp /bin/busybox "$root/bin/busybox"
	copy_binaries "$root" "$(command -v kmod)"
	cp "$SMBSIGN_ROOT/tools/guest/init" "$root/init"
	cp "$payload" "$root/payload.sh"
	chmod +x "$root/init" "$root/payload.sh"
	echo "$root"
}

# Guest root $1 packed into initramfs $2, and removed.
pack_initramfs() {
	# not compressed: the emulated guest would spend seconds inflating it
	(cd "$1" && find . | cpio -o -H newc --quiet) > "$2"
	rm -rf "$1"
}

# An initramfs with busybox, the kernel's modules, ours, and a payload
# script the guest init runs. $1 kernel tree, $2 payload, $3 output, $4 an
# optional function called with the root directory before it is packed.
make_initramfs() {
	local kdir=$1 payload=$2 out=$3 hook=${4:-} root kver
	kver=$(make -s -C "$kdir" kernelrelease)
	root=$(initramfs_root "$kver" "$payload")
	mkdir -p "$root/lib/modules/$kver/extra"
	make -s -C "$kdir" INSTALL_MOD_PATH="$root" modules_install >/dev/null
	cp "$SMBSIGN_ROOT"/*.ko "$root/lib/modules/$kver/extra/"
	depmod -b "$root" "$kver"
	cp "$SMBSIGN_ROOT/tools/guest/ktap.sh" "$root/ktap.sh"
	cp "$SMBSIGN_ROOT/tools/guest/faults.sh" "$root/faults.sh"
	[ -z "$hook" ] || "$hook" "$root"
	pack_initramfs "$root" "$out"
}

# Boot the guest; the serial console goes to $3. Fails on timeout.
run_guest() {
	local kdir=$1 initrd=$2 logf=$3 append=${4:-} mem=${SMBSIGN_GUEST_MEM:-1024}
	guest_args
	# shellcheck disable=SC2086 # the arguments are words
	timeout "$SMBSIGN_TIMEOUT" qemu-system-x86_64 $SMBSIGN_QEMU_ARGS -m "$mem" \
		-kernel "$kdir/arch/x86/boot/bzImage" -initrd "$initrd" \
		-append "$SMBSIGN_KERNEL_ARGS $append" -serial "file:$logf" \
		-nic none </dev/null
}

# Parse the KTAP document of guest log $2 with kunit.py of tree $1, keep
# the files as $3.ktap / $3.parsed, show the failures, and set k_ran,
# k_passed, k_failed (crashes included) and k_skipped.
kunit_results() {
	local kdir=$1 logf=$2 out=$3 summary line crashed
	sed -n '/SMBSIGN-KTAP-BEGIN/,/SMBSIGN-KTAP-END/p' "$logf" | sed '1d;$d' | tr -d '\r' > "$out.ktap"
	summary=$(python3 "$kdir/tools/testing/kunit/kunit.py" parse "$out.ktap" 2>&1 |
		tee "$out.parsed" | sed 's/\x1b\[[0-9;]*m//g') || true
	grep -E '\[FAILED\]|\[CRASHED\]|\[SKIPPED\]|# .*(Expected|ASSERT|EXPECT|fail)' <<<"$summary" | head -100 >&2 || true
	line=$(grep -E 'Ran [0-9]+ tests' <<<"$summary" | tail -1)
	k_ran=$(sed -nE 's/.*Ran ([0-9]+) tests.*/\1/p' <<<"$line")
	k_passed=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<<"$line")
	k_failed=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<<"$line")
	crashed=$(sed -nE 's/.*crashed: ([0-9]+).*/\1/p' <<<"$line")
	k_skipped=$(sed -nE 's/.*skipped: ([0-9]+).*/\1/p' <<<"$line")
	k_ran=${k_ran:-0} k_passed=${k_passed:-0} k_failed=${k_failed:-0} k_skipped=${k_skipped:-0}
	k_failed=$((k_failed + ${crashed:-0}))
}

# The end of a guest stage: the "E2E ok/FAIL" lines of guest log $1 and
# host log $2, kernel trouble and an unfinished guest counted as failures,
# then "N passed, N failed"; fails unless all passed.
stage_result() {
	local logf=$1 hostlog=$2 passed failed trouble
	cat "$logf" "$hostlog" | tr -d '\r' | grep -E '^E2E (ok|FAIL)' | sed 's/^E2E //'
	passed=$(cat "$logf" "$hostlog" | grep -c '^E2E ok' || true)
	failed=$(cat "$logf" "$hostlog" | grep -c '^E2E FAIL' || true)
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
}

# Kernel trouble in a guest log: crashes, warnings, sanitizer reports.
guest_trouble() {
	grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace|KASAN|UBSAN|kmemleak: [1-9]|refusing to load|self-test failed|SMBSIGN-ERROR' "$1" || true
}

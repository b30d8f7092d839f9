#!/bin/bash
# Debian's own kernels with smbsign installed the way a user installs it:
# `make deb`, then `apt install ./smbsign-dkms_*.deb`, whose DKMS builds
# smbsign.ko and the patched cifs.ko and ksmbd.ko against each kernel's
# linux-headers package and linux-source-X.Y. Then each kernel image
# boots in QEMU with its own modules and those DKMS put in updates/
# (tools/guest/debian.sh, tools/debian_host.py): plain modprobe loads
# them, AES-GMAC mounts of the guest's ksmbd and the host's Samba move
# data both ways, a tampered READ response is rejected, and once the
# modules are gone the kernel's own load again. Last, removing the
# package must take the modules away. Ends with "N passed, N failed".
#
# Debian 12's kernels (6.1, 6.12) are built on this host. Debian 13's
# backported 7.2 kernel is built where a Debian 13 user builds it: its
# headers need trixie's gcc-14 and glibc 2.38 or later (linux-kbuild-7.2),
# so its package is installed in a trixie root (debootstrap, cached in
# $SMBSIGN_CACHE/trixie-root) and DKMS runs there.
#
# The kernels are pinned: each image with the linux-source of the same
# version (linux-image-6.1.0-57 is 6.1.192-3, 6.12.117+deb12 is
# 6.12.117-1~deb12u1, 7.2.11+deb13 is 7.2.11-1~bpo13+1, the release
# tools/ksrc.sh pins too). When the archive moves on, bump them together.
# Each line: ABI name, series, version, where DKMS builds it.
. "$(dirname "$0")/lib.sh"
# (before the loops below reset the positional parameters)
mode=${1:-}

KERNELS=("6.12.117+deb12-amd64 6.12 6.12.117-1~deb12u1 host"
	 "6.1.0-57-amd64 6.1 6.1.192-3 host"
	 "7.2.11+deb13-amd64 7.2 7.2.11-1~bpo13+1 trixie")
# SMBSIGN_DEBIAN_SERIES="7.2" (say) tests those series' kernels alone
if [ -n "${SMBSIGN_DEBIAN_SERIES:-}" ]; then
	only=()
	for k in "${KERNELS[@]}"; do
		set -- $k
		[[ " $SMBSIGN_DEBIAN_SERIES " != *" $2 "* ]] || only+=("$k")
	done
	KERNELS=("${only[@]}")
fi
cache=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}
images=$cache/debian
troot=$cache/trixie-root

mkdir -p "$SMBSIGN_BUILD" "$images"
export DEBIAN_FRONTEND=noninteractive

# What the DKMS flow needs on this host (need) and in the trixie root
# (tneed): dkms, each kernel's headers, each series' source at the
# kernel's version.
need=(dkms) tneed=(dkms patch xz-utils make ksmbd-tools)
for k in "${KERNELS[@]}"; do
	set -- $k
	if [ "$4" = host ]; then
		need+=("linux-headers-$1=$3" "linux-source-$2=$3")
	else
		tneed+=("linux-headers-$1=$3" "linux-source-$2=$3")
	fi
done

# A command in the trixie root
in_trixie() {
	chroot "$troot" env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# The trixie root (tools/trixie-root.sh) with what DKMS needs there and
# Debian 13's ksmbd-tools; /proc, /sys and /dev bound for DKMS while this
# script runs (only what it bound is unbound at the end).
trixie_root() {
	local d
	"$SMBSIGN_ROOT/tools/trixie-root.sh" "${tneed[@]}" >/dev/null || return 1
	for d in proc sys dev; do
		mountpoint -q "$troot/$d" || { mount --bind "/$d" "$troot/$d" && bound+=("$d"); }
	done
}
bound=()
# lazily: a process the chroot's package scripts left behind can keep
# /dev busy for a moment, and then the bind mount would stay (and its
# "target is busy" would come after this script's last line)
trap 'for d in "${bound[@]}"; do umount -l "$troot/$d" 2>/dev/null || true; done' EXIT
# where DKMS builds for a kernel: this host or the trixie root
root_of() { [ "$1" = host ] || echo "$troot"; }

# Kernel image $1 version $2 unpacked (not installed) in the cache:
# vmlinuz and its modules, downloaded by the apt of root $3 (empty: this
# host's). Prints the directory.
debian_image() {
	local dir=$images/$1 tmp pkg
	if [ ! -f "$dir/.unpacked" ]; then
		tmp=$(mktemp -d -p "${3:-}/tmp")
		# Debian 12: vmlinuz and the modules in linux-image-*-unsigned;
		# Debian 13's backports: in linux-binary-*, linux-modules-* and
		# linux-base-* (modules.order, modules.builtin*), which
		# linux-image-* only depends on
		for pkgs in "linux-image-$1-unsigned" "linux-binary-$1 linux-modules-$1 linux-base-$1"; do
			rm -f "$tmp"/*.deb
			for pkg in $pkgs; do
				if [ -n "$3" ]; then
					in_trixie sh -c "cd ${tmp#$3} && apt-get download $pkg=$2" >/dev/null 2>&1
				else
					(cd "$tmp" && apt-get download "$pkg=$2" >/dev/null 2>&1)
				fi || continue 2
			done
			break
		done
		ls "$tmp"/*.deb >/dev/null 2>&1 ||
			{ log "cannot download the image of $1 ($2)"; rm -rf "$tmp"; return 1; }
		rm -rf "$dir"
		for pkg in "$tmp"/*.deb; do
			dpkg-deb -x "$pkg" "$dir"
		done
		# Debian 13's merged /usr: the modules and vmlinuz are in
		# /usr/lib/modules/<version>; laid out as Debian 12's
		if [ -d "$dir/usr/lib/modules/$1" ]; then
			mkdir -p "$dir/lib" "$dir/boot"
			mv "$dir/usr/lib/modules" "$dir/lib/modules"
			mv "$dir/lib/modules/$1/vmlinuz" "$dir/boot/vmlinuz-$1"
		fi
		rm -rf "$tmp"
		touch "$dir/.unpacked"
	fi
	echo "$dir"
}

# Initramfs $3 for kernel $1 (unpacked in $2): busybox, kmod, the modules
# SMB needs of the image's own, those DKMS installed for it in root $4
# (empty: this host), that root's Debian release's ksmbd-tools, and
# tools/guest/debian.sh.
debian_initramfs() {
	local kver=$1 img=$2 out=$3 droot=$4 root mods d
	root=$(initramfs_root "$kver" "$SMBSIGN_ROOT/tools/guest/debian.sh")
	mods=lib/modules/$kver
	mkdir -p "$root/$mods/updates"
	(cd "$img" && for d in $mods/modules.order $mods/modules.builtin* \
		$mods/kernel/{fs/smb,fs/netfs,fs/fscache,fs/nls,net/dns_resolver,crypto,arch/x86/crypto,lib} \
		$mods/kernel/drivers/virtio $mods/kernel/drivers/net/{virtio_net,net_failover}.ko* \
		$mods/kernel/net/core/failover.ko*; do
		[ ! -e "$d" ] || cp -a --parents "$d" "$root/"
	done)
	cp -a "$droot/$mods/updates/dkms" "$root/$mods/updates/"
	depmod -b "$root" "$kver"
	install_ksmbd_tools "$root" "$droot"
	cp "$SMBSIGN_ROOT"/tools/guest/{ctl,ksmbd-setup,cells}.sh "$root/"
	pack_initramfs "$root" "$out"
}

# Run $2... on this host ($1 host) or in the trixie root ($1 trixie).
on() {
	local where=$1
	shift
	if [ "$where" = host ]; then "$@"; else in_trixie "$@"; fi
}

# The package for the kernels DKMS builds on $1 (host or trixie): built
# here (make deb, SERIES= those kernels' series), installed with apt as
# README says, from a clean start: no package, nothing registered with
# DKMS. Sets deb.
install_package() {
	local where=$1 r series v start status=0
	r=$(root_of "$where")
	if on "$where" dpkg -s smbsign-dkms >/dev/null 2>&1; then
		on "$where" apt-get remove -y -qq smbsign-dkms >/dev/null
	fi
	for v in $(ls "$r/var/lib/dkms/smbsign" 2>/dev/null | grep -v '^source$'); do
		on "$where" dkms remove -m smbsign -v "$v" --all >/dev/null 2>&1 ||
			rm -rf "$r/var/lib/dkms/smbsign/$v"
	done
	series=$(for k in "${KERNELS[@]}"; do set -- $k; [ "$4" != "$where" ] || echo "$2"; done | xargs)
	if ! deb=$(SERIES=$series "$SMBSIGN_ROOT/tools/dkms/deb.sh"); then
		result 1 "$where: make deb"
		return 1
	fi
	result 0 "$where: make deb: $(basename "$deb"), depends on $(dpkg-deb -f "$deb" Depends)"
	start=$(date +%s)
	cp "$deb" "$r/tmp/"
	on "$where" apt-get install -y -q "/tmp/$(basename "$deb")" \
		>"$SMBSIGN_BUILD/dkms-install-$where.log" 2>&1 || status=$?
	rm -f "$r/tmp/$(basename "$deb")"
	result $status "$where: apt install ./$(basename "$deb"): DKMS built for every kernel in $(( $(date +%s) - start ))s"
	[ $status = 0 ] || tail -30 "$SMBSIGN_BUILD/dkms-install-$where.log" >&2
}

# check-debian.sh prepare: the trixie root alone (no CPU to speak of:
# downloads and unpacking; and no apt-get on this host, where make check
# runs its own meanwhile)
if [ "$mode" = prepare ]; then
	"$SMBSIGN_ROOT/tools/trixie-root.sh" "${tneed[@]}"
	exit
fi

ensure_host_packages
ensure_peer_packages
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }

# (each only where a kernel of the list builds)
wheres=$(for k in "${KERNELS[@]}"; do set -- $k; echo "$4"; done | sort -u | xargs)
[[ " $wheres " != *" host "* ]] || install_package host
if [[ " $wheres " == *" trixie "* ]]; then
	if trixie_root; then
		install_package trixie
	else
		result 1 "the trixie root for Debian 13's kernels (tools/trixie-root.sh; $SMBSIGN_BUILD/debootstrap.log)"
	fi
fi

guest_args
for k in "${KERNELS[@]}"; do
	set -- $k
	kver=$1 r=$(root_of "$4")
	dkmsdir=$r/lib/modules/$kver/updates/dkms
	n=$(ls "$dkmsdir/"{smbsign,cifs,ksmbd}.ko* 2>/dev/null | wc -l) || true
	[ "$n" = 3 ]
	result $? "$kver: DKMS ($4) installed smbsign, cifs, ksmbd in /lib/modules/$kver/updates/dkms ($n of 3)"
	[ "$n" = 3 ] || continue
	# what modinfo tells an administrator: the package's version, the
	# softdep on the x86 drivers (none where smbsign calls the 7.x
	# libraries: nothing to preload), every parameter described
	info=$(modinfo "$dkmsdir/"smbsign.ko* 2>&1) || true
	missing=
	version=$(dpkg-deb -f "$deb" Version | sed 's/-[^-]*$//')
	[ "$(modinfo -F version "$dkmsdir/"smbsign.ko* 2>/dev/null)" = "$version" ] ||
		missing=" 'version: $version'"
	softdep='softdep: *pre: aesni_intel' sd=softdep
	case $2 in 6.*) ;; *) softdep= sd='no softdep (libraries)' ;; esac
	for want in 'description: .*SMB' 'license: *GPL' ${softdep:+"$softdep"} \
		    'parm: *client_require_signing:' 'parm: *server_require_signing:' \
		    'parm: *algorithms:' 'parm: *allow_smb1:'; do
		grep -qE "$want" <<<"$info" || missing="$missing '$want'"
	done
	[ -n "$softdep" ] || ! grep -q '^softdep:' <<<"$info" || missing="$missing 'no softdep'"
	[ -z "$missing" ]
	result $? "$kver: modinfo smbsign: version, description, license, $sd, every parameter${missing:+; lacks$missing}"
	img=$(debian_image "$kver" "$3" "$r") || { result 1 "$kver: the kernel image"; continue; }
	debian_initramfs "$kver" "$img" "$SMBSIGN_BUILD/debian-$kver.cpio" "$r"
	logf=$SMBSIGN_BUILD/debian-$kver.log hostlog=$SMBSIGN_BUILD/debian-$kver-host.log
	log "booting Debian's $kver; console log in $logf"
	start=$(date +%s)
	# Debian's kernels find microvm's virtio-mmio NIC through ACPI only
	timeout "$SMBSIGN_TIMEOUT" /usr/bin/python3 "$SMBSIGN_ROOT/tools/debian_host.py" \
		--kernel "$img/boot/vmlinuz-$kver" --initrd "$SMBSIGN_BUILD/debian-$kver.cpio" \
		--log "$logf" --qemu-args "${SMBSIGN_QEMU_ARGS/,acpi=off/}" > "$hostlog" 2>&1 || true
	log "$kver guest ran $(( $(date +%s) - start ))s"
	out=$(stage_result "$logf" "$hostlog") || true
	printf '%s\n' "$out" | sed '$d'
	passed=$((passed + $(tail -1 <<<"$out" | cut -d' ' -f1)))
	failed=$((failed + $(tail -1 <<<"$out" | cut -d' ' -f3)))
done

# removing the package removes the modules: the kernel's own are found again
for where in $wheres; do
	r=$(root_of "$where")
	[ "$where" = host ] || [ -f "$troot/.smbsign-ready" ] || continue
	status=0
	on "$where" apt-get remove -y -q smbsign-dkms >"$SMBSIGN_BUILD/dkms-remove-$where.log" 2>&1 || status=$?
	left=$(ls "$r"/lib/modules/*/updates/dkms/{smbsign,cifs,ksmbd}.ko* 2>/dev/null | xargs) || true
	found=
	for k in "${KERNELS[@]}"; do
		set -- $k
		[ "$4" = "$where" ] || continue
		found="$found $(on "$where" modinfo -k "$1" -n cifs 2>/dev/null || echo "none for $1")"
	done
	[ $status = 0 ] && [ -z "$left" ] && [[ $found != */updates/* ]]
	result $? "$where: apt remove smbsign-dkms: no module left in updates/${left:+ ($left)}; cifs is now:$found"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

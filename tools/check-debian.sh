#!/bin/bash
# Debian's own kernels with smbsign installed the way a user installs it:
# `make deb`, then `apt install ./smbsign-dkms_*.deb` on this host, whose
# DKMS builds smbsign.ko and the patched cifs.ko and ksmbd.ko against
# each kernel's linux-headers package and linux-source-X.Y. Then each
# kernel image boots in QEMU with its own modules and those DKMS put in
# updates/ (tools/guest/debian.sh, tools/debian_host.py): plain modprobe
# loads them, AES-GMAC mounts of the guest's ksmbd and the host's Samba
# move data both ways, a tampered READ response is rejected, and once
# the modules are gone the kernel's own load again. Last, removing the
# package must take the modules away. Ends with "N passed, N failed".
#
# The kernels are pinned: each image with the linux-source of the same
# version (Debian 12: linux-image-6.1.0-57 is 6.1.192-3, 6.12.117+deb12
# is 6.12.117-1~deb12u1). When the archive moves on, bump them together.
. "$(dirname "$0")/lib.sh"

KERNELS=("6.12.117+deb12-amd64 6.12 6.12.117-1~deb12u1"
	 "6.1.0-57-amd64 6.1 6.1.192-3")
images=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}/debian

ensure_host_packages
ensure_peer_packages
mkdir -p "$SMBSIGN_BUILD" "$images"
export DEBIAN_FRONTEND=noninteractive

# What the DKMS flow needs on this host: dkms, each kernel's headers,
# each series' source at the kernel's version.
need=(dkms)
for k in "${KERNELS[@]}"; do
	set -- $k
	need+=("linux-headers-$1=$3" "linux-source-$2=$3")
done
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }

# Kernel image $1 unpacked (not installed) in the cache: vmlinuz and its
# modules. Prints the directory.
debian_image() {
	local dir=$images/$1 tmp
	if [ ! -f "$dir/.unpacked" ]; then
		tmp=$(mktemp -d)
		(cd "$tmp" && apt-get download "linux-image-$1-unsigned=$2" >/dev/null 2>&1) ||
			{ log "cannot download linux-image-$1-unsigned $2"; rm -rf "$tmp"; return 1; }
		rm -rf "$dir"
		dpkg-deb -x "$tmp"/*.deb "$dir"
		rm -rf "$tmp"
		touch "$dir/.unpacked"
	fi
	echo "$dir"
}

# Initramfs $3 for kernel $1 (unpacked in $2): busybox, kmod, the modules
# SMB needs of the image's own, those DKMS installed on this host for it,
# ksmbd-tools and tools/guest/debian.sh.
debian_initramfs() {
	local kver=$1 img=$2 out=$3 root mods d
	root=$(initramfs_root "$kver" "$SMBSIGN_ROOT/tools/guest/debian.sh")
	mods=lib/modules/$kver
	mkdir -p "$root/$mods/updates"
	(cd "$img" && for d in $mods/modules.order $mods/modules.builtin* \
		$mods/kernel/{fs/smb,fs/netfs,fs/fscache,fs/nls,net/dns_resolver,crypto,arch/x86/crypto,lib} \
		$mods/kernel/drivers/virtio $mods/kernel/drivers/net/{virtio_net,net_failover}.ko* \
		$mods/kernel/net/core/failover.ko*; do
		[ ! -e "$d" ] || cp -a --parents "$d" "$root/"
	done)
	cp -a "/$mods/updates/dkms" "$root/$mods/updates/"
	depmod -b "$root" "$kver"
	install_ksmbd_tools "$root"
	cp "$SMBSIGN_ROOT"/tools/guest/{ctl,ksmbd-setup,cells}.sh "$root/"
	pack_initramfs "$root" "$out"
}

# the package: built here, installed with apt as README says
# (from a clean start: no package, nothing registered with DKMS)
if dpkg -s smbsign-dkms >/dev/null 2>&1; then
	apt-get remove -y -qq smbsign-dkms >/dev/null
fi
for v in $(ls /var/lib/dkms/smbsign 2>/dev/null | grep -v '^source$'); do
	dkms remove -m smbsign -v "$v" --all >/dev/null 2>&1 || rm -rf "/var/lib/dkms/smbsign/$v"
done
series=$(for k in "${KERNELS[@]}"; do set -- $k; echo "$2"; done | xargs)
if ! deb=$(SERIES=$series "$SMBSIGN_ROOT/tools/dkms/deb.sh"); then
	result 1 "make deb"
	echo "$passed passed, $failed failed"
	exit 1
fi
result 0 "make deb: $(basename "$deb"), depends on $(dpkg-deb -f "$deb" Depends)"
start=$(date +%s)
status=0
apt-get install -y -q "$deb" > "$SMBSIGN_BUILD/dkms-install.log" 2>&1 || status=$?
result $status "apt install ./$(basename "$deb"): DKMS built for every kernel in $(( $(date +%s) - start ))s"
[ $status = 0 ] || tail -30 "$SMBSIGN_BUILD/dkms-install.log" >&2

guest_args
for k in "${KERNELS[@]}"; do
	set -- $k
	kver=$1
	n=$(ls "/lib/modules/$kver/updates/dkms/"{smbsign,cifs,ksmbd}.ko* 2>/dev/null | wc -l)
	[ "$n" = 3 ]
	result $? "$kver: DKMS installed smbsign, cifs, ksmbd in /lib/modules/$kver/updates/dkms ($n of 3)"
	[ "$n" = 3 ] || continue
	# what modinfo tells an administrator: the package's version, the
	# softdep on the x86 drivers, every parameter described
	info=$(modinfo "/lib/modules/$kver/updates/dkms/"smbsign.ko* 2>&1) || true
	missing=
	version=$(dpkg-deb -f "$deb" Version | sed 's/-[^-]*$//')
	[ "$(modinfo -F version "/lib/modules/$kver/updates/dkms/"smbsign.ko* 2>/dev/null)" = "$version" ] ||
		missing=" 'version: $version'"
	for want in 'description: .*SMB' 'license: *GPL' 'softdep: *pre: aesni_intel' \
		    'parm: *client_require_signing:' 'parm: *server_require_signing:' \
		    'parm: *algorithms:' 'parm: *allow_smb1:'; do
		grep -qE "$want" <<<"$info" || missing="$missing '$want'"
	done
	[ -z "$missing" ]
	result $? "$kver: modinfo smbsign: version, description, license, softdep, every parameter${missing:+; lacks$missing}"
	img=$(debian_image "$kver" "$3") || { result 1 "$kver: the kernel image"; continue; }
	debian_initramfs "$kver" "$img" "$SMBSIGN_BUILD/debian-$kver.cpio"
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
status=0
apt-get remove -y -q smbsign-dkms > "$SMBSIGN_BUILD/dkms-remove.log" 2>&1 || status=$?
left=$(ls /lib/modules/*/updates/dkms/{smbsign,cifs,ksmbd}.ko* 2>/dev/null | xargs) || true
found=
for k in "${KERNELS[@]}"; do
	set -- $k
	found="$found $(modinfo -k "$1" -n cifs 2>/dev/null || echo "none for $1")"
done
[ $status = 0 ] && [ -z "$left" ] && [[ $found != */updates/* ]]
result $? "apt remove smbsign-dkms: no module left in updates/${left:+ ($left)}; cifs is now:$found"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

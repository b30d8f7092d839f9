#!/bin/bash
# DKMS build of smbsign for one kernel, run in the DKMS build directory (a
# copy of /usr/src/smbsign-<version>):
#
#   build.sh patchable KERNELVER KERNEL_BUILD_DIR (dkms.conf)
#   build.sh prepare KERNELVER KERNEL_BUILD_DIR   (dkms.conf's PRE_BUILD)
#   build.sh build KERNELVER KERNEL_BUILD_DIR     (dkms.conf's MAKE)
#
# The patched cifs.ko and ksmbd.ko replace the kernel's own, so they are
# built only from the kernel's own source: Debian's linux-source-X.Y of
# its series, at its version, with patches/X.Y. patchable says whether
# that is at hand (and on stderr why not); dkms.conf then lists cifs and
# ksmbd among the modules to build, or smbsign alone. A kernel without
# them keeps its own cifs and ksmbd, and gets a warning saying why and
# what to do, rather than a failed build: DKMS fails a kernel package's
# installation when a module does not build.
#
# prepare unpacks fs/ of the source into smb/ and checks its version
# again from its Makefile; build builds smbsign.ko, then cifs.ko and
# ksmbd.ko from smb/ with the series applied. (DKMS 3.0 shows PRE_BUILD's
# output and ignores its status; MAKE's output goes to make.log.)
#
# SMBSIGN_ALLOW_SOURCE_MISMATCH=yes in /etc/default/smbsign-dkms builds
# from a source of another release of the same series anyway;
# Documentation/smbsign.rst, "Installing with DKMS", says what that risks.
set -euo pipefail
mode=${1:-}
kver=${2:-}
kdir=${3:-}
case "$mode" in
patchable|prepare|build) [ -n "$kdir" ] ;;
*) false ;;
esac || { echo "usage: build.sh patchable|prepare|build KERNELVER KERNEL_BUILD_DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")/../.." && pwd)
[ ! -r /etc/default/smbsign-dkms ] || . /etc/default/smbsign-dkms

say() {
	printf 'smbsign-dkms: %s\n' "$@" >&2
}

# x.y.z of a tree's top Makefile (Debian's ABI names such as 6.1.0-57-amd64
# do not carry it)
tree_version() {
	awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 }
	     /^SUBLEVEL =/ { s = $3 } END { print v "." p "." s }' "$1"
}

# Sets series, tarball, kversion, and why (empty when cifs and ksmbd can
# be built for this kernel).
check() {
	local kpkg kdeb sdeb

	why= series= tarball=
	rebuild="dkms remove smbsign/$(cat "$here/VERSION") -k $kver; dkms install smbsign/$(cat "$here/VERSION") -k $kver"
	[ -f "$kdir/Makefile" ] || { why="no kernel build tree at $kdir (install linux-headers-$kver)"; return; }
	kversion=$(make -s -C "$kdir" kernelversion 2>/dev/null) ||
		{ why="cannot read the kernel version from $kdir"; return; }
	series=${kversion%.*}
	tarball=/usr/src/linux-source-$series.tar.xz
	if [ ! -d "$here/patches/$series" ]; then
		why="smbsign has no cifs/ksmbd patch series for Linux $series (it has $(ls "$here/patches" | xargs | sed 's/ /, /g'))"
		return
	fi
	[ -r "$tarball" ] || { why="$tarball is missing: apt install linux-source-$series, then rebuild: $rebuild"; return; }
	[ "${SMBSIGN_ALLOW_SOURCE_MISMATCH:-}" != yes ] || return 0
	kpkg=$(dpkg-query -S "$(readlink -f "$kdir")" 2>/dev/null | cut -d: -f1 | head -1) || true
	kdeb=${kpkg:+$(dpkg-query -W -f='${Version}' "$kpkg" 2>/dev/null)} || true
	sdeb=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null) || true
	if [ -n "$kdeb" ] && [ -n "$sdeb" ] && [ "$kdeb" != "$sdeb" ]; then
		why="linux-source-$series is $sdeb, the kernel $kver is $kdeb: cifs.ko and ksmbd.ko are built only from the kernel's own source. Debian's archive has the newest linux-source-$series only: boot the kernel of that version (apt upgrade installs it; DKMS builds for it then), or set SMBSIGN_ALLOW_SOURCE_MISMATCH=yes in /etc/default/smbsign-dkms and rebuild: $rebuild (see Documentation/smbsign.rst)"
	fi
}

warn_stock() {
	say "kernel $kver keeps its own cifs and ksmbd, smbsign.ko alone is installed:" "$why"
}

prepare() {
	local sversion

	rm -rf smb
	check
	[ -z "$why" ] || { warn_stock; return 0; }
	# fs/smb, and the fs/ headers it includes by relative path, which
	# differ between series (fs/nls/*.h, fs/internal.h): all of fs/ costs
	# no more time than the decompression does anyway; the SPNEGO
	# grammar compiler, which Debian's headers packages lack
	mkdir smb
	tar -xJf "$tarball" -C smb --strip-components=1 --wildcards \
		'linux-source-*/Makefile' 'linux-source-*/fs/*' \
		'linux-source-*/scripts/asn1_compiler.c' 'linux-source-*/include/linux/asn1*.h' ||
		{ say "cannot unpack $tarball"; rm -rf smb; return 1; }
	sversion=$(tree_version smb/Makefile)
	if [ "$sversion" != "$kversion" ] && [ "${SMBSIGN_ALLOW_SOURCE_MISMATCH:-}" != yes ]; then
		say "$tarball is Linux $sversion, the kernel $kver is $kversion:" \
		    "cifs.ko and ksmbd.ko are built only from the kernel's own source."
		rm -rf smb
		return 1
	fi
	echo "$series" >smb/.series
	echo "smbsign-dkms: cifs and ksmbd from linux-source-$series $sversion with patches/$series"
}

build() {
	local p m hostcc

	# smbsign first: cifs and ksmbd link against its Module.symvers. Its
	# version is the package's, whatever the environment says.
	make -j"$(nproc)" -C "$kdir" M="$here" SMBSIGN_VERSION="$(cat "$here/VERSION")" modules
	check
	if [ -n "$why" ]; then
		warn_stock
		return 0
	fi
	[ -f smb/.series ] || prepare
	[ -f smb/.series ] || return 1
	for p in "$here/patches/$series"/*.patch; do
		# a series shaped for the list starts with its cover letter
		case $p in *-cover-letter.patch) continue ;; esac
		patch -d smb -p1 --fuzz=0 --no-backup-if-mismatch --quiet <"$p" ||
			{ say "$(basename "$p") does not apply to linux-source-$series"; return 1; }
	done
	# the kernel's compiler need not be "gcc": Debian 13's 7.2 headers
	# pull in gcc-14 alone (dkms asks for any c-compiler)
	hostcc=$(command -v gcc || command -v cc ||
		ls /usr/bin/"$(uname -m)"-linux-gnu-gcc-[0-9]* 2>/dev/null | sort -V | tail -1) || true
	[ -n "$hostcc" ] || { say "no C compiler to build the ASN.1 compiler with"; return 1; }
	"$hostcc" -O2 -I smb/include -o smb/asn1_compiler smb/scripts/asn1_compiler.c
	for p in smb/fs/smb/*/*.asn1; do
		smb/asn1_compiler "$p" "${p%.asn1}.asn1.c" "${p%.asn1}.asn1.h"
	done
	for m in client server; do
		make -j"$(nproc)" -C "$kdir" M="$here/smb/fs/smb/$m" \
			KBUILD_EXTRA_SYMBOLS="$here/Module.symvers" \
			KCFLAGS="-I$here/include" modules
	done
}

case "$mode" in
patchable)
	check
	[ -z "$why" ] || { say "$why"; exit 1; } ;;
*)
	cd "$here"
	"$mode" ;;
esac

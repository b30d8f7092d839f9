#!/bin/bash
# DKMS build of smbsign for one kernel, run in the DKMS build directory (a
# copy of /usr/src/smbsign-<version>):
#
#   build.sh prepare KERNELVER KERNEL_BUILD_DIR   (dkms.conf's PRE_BUILD)
#   build.sh build KERNELVER KERNEL_BUILD_DIR     (dkms.conf's MAKE)
#
# prepare unpacks fs/smb from Debian's linux-source-X.Y of the kernel's
# series into smb/ and checks that it is the kernel's own source; build
# builds smbsign.ko, then cifs.ko and ksmbd.ko from smb/ with patches/X.Y
# applied. They replace the kernel's own modules, so they must come from
# the same source as the kernel: a series without patches, a missing
# linux-source-X.Y or a source of another version stop the build with a
# message saying which. (DKMS shows PRE_BUILD's output on the terminal but
# ignores its status, and sends MAKE's output to make.log: prepare says
# what is wrong where it is read, build refuses.)
#
# SMBSIGN_ALLOW_SOURCE_MISMATCH=yes in /etc/default/smbsign-dkms builds
# from a source of another version of the same series anyway;
# Documentation/smbsign.rst, "Installing with DKMS", says what that risks.
set -euo pipefail
mode=${1:-}
kver=${2:-}
kdir=${3:-}
[ -n "$kdir" ] && { [ "$mode" = prepare ] || [ "$mode" = build ]; } ||
	{ echo "usage: build.sh prepare|build KERNELVER KERNEL_BUILD_DIR" >&2; exit 2; }
here=$(pwd)

die() {
	printf 'smbsign-dkms: %s\n' "$@" >&2
	printf 'smbsign-dkms: %s\n' "$@" >"$here/smb.error"
	exit 1
}

# x.y.z of a tree's top Makefile (Debian's ABI names such as 6.1.0-57-amd64
# do not carry it)
tree_version() {
	awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 }
	     /^SUBLEVEL =/ { s = $3 } END { print v "." p "." s }' "$1"
}

prepare() {
	local kversion series tarball sversion kpkg kdeb sdeb what

	rm -rf smb smb.error
	[ -f "$kdir/Makefile" ] || die "no kernel build tree at $kdir: install linux-headers-$kver"
	[ ! -r /etc/default/smbsign-dkms ] || . /etc/default/smbsign-dkms
	kversion=$(make -s -C "$kdir" kernelversion 2>/dev/null) ||
		die "cannot read the kernel version from $kdir"
	series=${kversion%.*}
	[ -d "$here/patches/$series" ] ||
		die "Linux $series (kernel $kver): smbsign has no cifs/ksmbd patch series for it;" \
		    "this version has series for Linux $(ls "$here/patches" | xargs | sed 's/ /, /g')."
	tarball=/usr/src/linux-source-$series.tar.xz
	[ -r "$tarball" ] ||
		die "$tarball is missing: apt install linux-source-$series" \
		    "(cifs.ko and ksmbd.ko are built from the kernel's own source)."

	mkdir smb
	# fs/smb, and the fs/ headers it includes by relative path, which
	# differ between series (fs/nls/*.h, fs/internal.h): all of fs/ costs
	# no more time than the decompression does anyway
	tar -xJf "$tarball" -C smb --strip-components=1 --wildcards \
		'linux-source-*/Makefile' 'linux-source-*/fs/*' \
		'linux-source-*/scripts/asn1_compiler.c' 'linux-source-*/include/linux/asn1*.h'
	sversion=$(tree_version smb/Makefile)
	kpkg=$(dpkg-query -S "$(readlink -f "$kdir")" 2>/dev/null | cut -d: -f1 | head -1) || true
	kdeb=${kpkg:+$(dpkg-query -W -f='${Version}' "$kpkg" 2>/dev/null)} || true
	sdeb=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null) || true
	if [ "$sversion" != "$kversion" ] ||
	   { [ -n "$kdeb" ] && [ -n "$sdeb" ] && [ "$kdeb" != "$sdeb" ]; }; then
		what="linux-source-$series is $sversion${sdeb:+ ($sdeb)}, the kernel $kver is $kversion${kdeb:+ ($kdeb)}"
		[ "${SMBSIGN_ALLOW_SOURCE_MISMATCH:-}" = yes ] ||
			die "$what." \
			    "cifs.ko and ksmbd.ko must be built from the kernel's own source: install the" \
			    "linux-source-$series of the kernel's version, or boot the kernel the source is" \
			    "for, then run: dkms autoinstall -k $kver" \
			    "(to build anyway: SMBSIGN_ALLOW_SOURCE_MISMATCH=yes in /etc/default/smbsign-dkms)"
		printf 'smbsign-dkms: warning: %s; building anyway (SMBSIGN_ALLOW_SOURCE_MISMATCH)\n' \
			"$what" >&2
	fi
	echo "$series" >smb/.series
	echo "smbsign-dkms: cifs and ksmbd from linux-source-$series $sversion${sdeb:+ ($sdeb)}" \
	     "with patches/$series ($(ls "$here/patches/$series" | wc -l) patches)"
}

build() {
	local series p m

	[ -f smb/.series ] || prepare
	[ ! -f smb.error ] || { cat smb.error >&2; exit 1; }
	series=$(cat smb/.series)
	# smbsign first: cifs and ksmbd link against its Module.symvers
	make -j"$(nproc)" -C "$kdir" M="$here" modules
	for p in "$here/patches/$series"/*.patch; do
		patch -d smb -p1 --quiet --forward <"$p" ||
			die "$(basename "$p") does not apply to linux-source-$series"
	done
	# Debian's headers packages have no scripts/asn1_compiler: the
	# source's own generates the SPNEGO decoders of cifs and ksmbd
	gcc -O2 -I smb/include -o smb/asn1_compiler smb/scripts/asn1_compiler.c
	for p in smb/fs/smb/*/*.asn1; do
		smb/asn1_compiler "$p" "${p%.asn1}.asn1.c" "${p%.asn1}.asn1.h"
	done
	for m in client server; do
		make -j"$(nproc)" -C "$kdir" M="$here/smb/fs/smb/$m" \
			KBUILD_EXTRA_SYMBOLS="$here/Module.symvers" \
			KCFLAGS="-I$here/include" modules
	done
}

"$mode"

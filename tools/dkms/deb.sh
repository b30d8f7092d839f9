#!/bin/bash
# make deb: the smbsign-dkms package, built offline with dpkg-deb.
# It holds the DKMS source tree (/usr/src/smbsign-<version>: the module,
# its header, patches/ and tools/dkms/build.sh); installing it builds and
# installs smbsign.ko and the patched cifs.ko and ksmbd.ko for the kernels
# here (DKMS's postinst), removing it removes them.
#
# The patched modules are built from Debian's linux-source-X.Y of each
# kernel's series, so the package depends on those: by default the series
# of the kernels this machine has headers for (the running one first),
# or SERIES="6.1 6.12". Prints the package's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${SMBSIGN_BUILD:-$root/build}
# VERSION, and in a git checkout the number of commits: a package built
# from a later commit is an upgrade (DKMS rebuilds under the new version)
version=$(cat "$root/VERSION")
count=$(git -C "$root" rev-list --count HEAD 2>/dev/null) && version=$version+git$count
debver=$version-1

# the series of kernel build tree $1 (x.y of its kernelversion)
tree_series() {
	local v
	v=$(make -s -C "$1" kernelversion 2>/dev/null) || return 0
	echo "${v%.*}"
}

if [ -z "${SERIES:-}" ]; then
	for k in "/lib/modules/$(uname -r)/build" /lib/modules/*/build; do
		[ -f "$k/Makefile" ] && SERIES="${SERIES:-} $(tree_series "$k")"
	done
fi
# libc6-dev: build.sh compiles the kernel's ASN.1 compiler for cifs, a
# host program (dkms pulls in a compiler, not always the C library's
# headers: Debian 13's does not)
deps=dkms,patch,xz-utils,make,libc6-dev
for s in $(echo "${SERIES:-}" | tr ' ' '\n' | sort -uV); do
	[ -d "$root/patches/$s" ] || { echo "deb.sh: no patch series for Linux $s" >&2; exit 1; }
	deps="$deps,linux-source-$s"
done
[ "$deps" != dkms,patch,xz-utils,make,libc6-dev ] ||
	{ echo "deb.sh: no kernel headers here and no SERIES= (e.g. SERIES=6.12)" >&2; exit 1; }

pkg=$(mktemp -d)
trap 'rm -rf "$pkg"' EXIT
src=$pkg/usr/src/smbsign-$version
mkdir -p "$src/tools" "$pkg/DEBIAN" "$pkg/usr/share/doc/smbsign-dkms"
# the module's source files as git sees them (tracked, or new and not
# ignored), nothing built
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
	Kbuild VERSION dkms.conf smbsign include kunit patches tools/dkms |
	cpio -0 -pdm --quiet "$src")
cp "$root/README" "$root/Documentation/smbsign.rst" "$pkg/usr/share/doc/smbsign-dkms/"
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$version\"/" "$src/dkms.conf"
echo "$version" >"$src/VERSION"
# The patched cifs.ko carries the kernel's own MODULE_VERSION, and DKMS
# refuses to install a module whose version matches the kernel's: this is
# Debian's DKMS's list of modules that replace in-tree ones anyway.
mkdir -p "$pkg/usr/share/dkms/modules_to_force_install"
echo smbsign_version-override >"$pkg/usr/share/dkms/modules_to_force_install/smbsign-dkms"

cat >"$pkg/DEBIAN/control" <<CONTROL
Package: smbsign-dkms
Version: $debver
Architecture: all
Maintainer: smbsign developers <smbsign@localhost>
Depends: $deps
Section: kernel
Priority: optional
Description: SMB message signing for cifs and ksmbd, with AES-GMAC (DKMS)
 smbsign.ko signs and verifies SMB2/3 messages (HMAC-SHA256, AES-CMAC,
 AES-GMAC) for the in-kernel SMB client (cifs) and server (ksmbd). This
 package builds it with DKMS for every installed kernel, together with
 cifs.ko and ksmbd.ko rebuilt from the kernel's own Debian source with
 smbsign's patches (AES-GMAC signing, signing required on every path,
 the command sequence window). They go to /lib/modules/<kernel>/updates,
 which modprobe prefers; removing the package brings the kernel's own
 cifs and ksmbd back.
CONTROL

cat >"$pkg/DEBIAN/postinst" <<POSTINST
#!/bin/sh
set -e
# DKMS's own postinst: dkms add, then build and install for the kernels
case "\$1" in
configure)
	/usr/lib/dkms/common.postinst smbsign $version "" "" "\$2"
	if command -v mokutil >/dev/null && mokutil --sb-state 2>/dev/null | grep -q enabled &&
	   ! mokutil --test-key /var/lib/dkms/mok.pub 2>/dev/null | grep -q 'is already enrolled'; then
		echo "smbsign-dkms: Secure Boot is on and DKMS's key is not enrolled: the kernel" >&2
		echo "will refuse the patched cifs and ksmbd. Enrol it, then reboot and confirm:" >&2
		echo "  mokutil --import /var/lib/dkms/mok.pub" >&2
	fi
	;;
esac
POSTINST

cat >"$pkg/DEBIAN/prerm" <<PRERM
#!/bin/sh
set -e
case "\$1" in
remove|upgrade|deconfigure)
	if dkms status -m smbsign -v $version | grep -q .; then
		dkms remove -m smbsign -v $version --all
	fi
	;;
esac
PRERM
# modes as installed, whatever the umask and the checkout's were
find "$pkg" -type d -exec chmod 0755 {} +
find "$pkg" -type f -exec chmod 0644 {} +
chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm" "$src/tools/dkms/build.sh"

mkdir -p "$out"
deb=$out/smbsign-dkms_${debver}_all.deb
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"

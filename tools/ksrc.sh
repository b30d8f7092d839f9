#!/bin/bash
# Kernel source tarballs for the test kernels; prints the tarball's path.
#
#   tools/ksrc.sh 6.12   Debian 12's linux-source-6.12 (apt-get)
#   tools/ksrc.sh 7      linux-source-7.2 from Debian 13's trixie-backports:
#                        the first series with the HMAC-SHA256, AES-CMAC
#                        and GHASH libraries
#
# Debian 12 has no 7.x package, so the second .deb is fetched from the
# archive's pool by hand. Its version and SHA256 are pinned here (a
# lockfile, as the archive's index may move on): the cache key of the test
# kernel stays put, and the download is checked against the hash Debian's
# signed index gave for it (trixie-backports InRelease -> Packages.xz,
# 2026-11). The unpacked tarball is cached in ~/.cache/smbsign/ksrc.
set -euo pipefail
series=${1:?usage: ksrc.sh 6.12|7}
cache=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}/ksrc
mirror=${SMBSIGN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
deb7=pool/main/l/linux/linux-source-7.2_7.2.11-1~bpo13+1_all.deb
sha7=97a3aac3a9eeb8f18e8b0511af9261c54605fd23b712f1a48144360a123738a2

log() { printf 'ksrc: %s\n' "$*" >&2; }

if [ "$series" = 6.12 ]; then
	tarball=/usr/src/linux-source-6.12.tar.xz
	if [ ! -r $tarball ]; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq --no-install-recommends linux-source-6.12 >&2
	fi
	echo $tarball
	exit 0
fi
[ "$series" = 7 ] || { log "unknown series $series (6.12 or 7)"; exit 2; }

name=$(basename "$deb7" _all.deb)
tarball=$cache/${name%%_*}-${name#*_}.tar.xz
if [ -r "$tarball" ]; then
	echo "$tarball"
	exit 0
fi
command -v curl >/dev/null || apt-get install -y -qq --no-install-recommends curl >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log "downloading $(basename "$deb7")"
# The pool keeps superseded backports for a while (7.2.6, 7.2.9 and 7.2.11
# were all there in 2026-11), not forever: when this fails with a 404, pin
# the version and SHA256 that dists/trixie-backports/main/binary-all/
# Packages.xz lists for linux-source-7.* now.
curl -fsS -m 900 -o "$tmp/src.deb" "$mirror/$deb7" ||
	{ log "cannot download $mirror/$deb7 (gone from the pool? see the comment above)"; exit 1; }
echo "$sha7  $tmp/src.deb" | sha256sum -c --quiet - >&2 ||
	{ log "$(basename "$deb7"): SHA256 is not the pinned one"; exit 1; }
dpkg-deb --fsys-tarfile "$tmp/src.deb" | tar -x -C "$tmp" --wildcards './usr/src/linux-source-7.*.tar.xz'
mkdir -p "$cache"
mv "$tmp"/usr/src/linux-source-7.*.tar.xz "$tarball"
echo "$tarball"

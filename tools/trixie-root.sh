#!/bin/bash
# A Debian 13 (trixie) root, with trixie-backports where Debian's 7.2
# kernels are, for what Debian 12 cannot run: DKMS against Debian 13's 7.2
# headers (they need trixie's gcc-14 and glibc 2.38 or later) and Debian
# 13's ksmbd-tools (3.5.3) for the 7.2 guests. Made once with debootstrap
# (minbase) in $SMBSIGN_CACHE/trixie-root; the packages named ($@, with
# =version where pinned) are installed in it. Prints the root's path.
# One caller at a time: make check prepares it in the background.
. "$(dirname "$0")/lib.sh"

cache=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}
troot=$cache/trixie-root
mirror=${SMBSIGN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache" "$SMBSIGN_BUILD"
exec 8>"$cache/.trixie.lock"
flock 8

in_root() {
	chroot "$troot" env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

if [ ! -f "$troot/.smbsign-ready" ]; then
	rm -rf "$troot"
	log "debootstrap trixie into $troot"
	debootstrap --variant=minbase trixie "$troot" "$mirror" \
		>"$SMBSIGN_BUILD/debootstrap.log" 2>&1 ||
		{ log "debootstrap failed: $SMBSIGN_BUILD/debootstrap.log"; exit 1; }
	echo "deb $mirror trixie-backports main" >>"$troot/etc/apt/sources.list"
	touch "$troot/.smbsign-ready"
fi

# package installs run maintainer scripts: /proc, /sys and /dev for them,
# unbound again afterwards (only what this call bound)
bound=()
trap 'for d in "${bound[@]}"; do umount -l "$troot/$d" 2>/dev/null || true; done' EXIT
for d in proc sys dev; do
	mountpoint -q "$troot/$d" || { mount --bind "/$d" "$troot/$d" && bound+=("$d"); }
done
# only what is not installed yet (at the version asked for): apt-get would
# otherwise also retry whatever a failed run left unconfigured there
missing=()
for p in "$@"; do
	have=$(in_root dpkg-query -W -f='${Status} ${Version}' "${p%%=*}" 2>/dev/null) || have=
	case $p in
	*=*) [ "$have" = "install ok installed ${p#*=}" ] ;;
	*) [ "${have% *}" = "install ok installed" ] ;;
	esac || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	in_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
		{ in_root apt-get update -qq && in_root apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null; } ||
		{ log "cannot install ${missing[*]} in $troot"; exit 1; }
fi
echo "$troot"

#!/bin/bash
# Apply patches/<series>/*.patch (6.12 or 7.2, the tree's series) with
# patch -p1 to a copy of fs/smb from the test kernel's (pristine) sources
# and build cifs.ko and ksmbd.ko as external modules against smbsign's
# Module.symvers, so they import the SMBSIGN namespace. $1: the kernel tree; smbsign must be built against it.
# Prints the directory holding fs/smb/{client/cifs.ko,server/ksmbd.ko}.
# SMBSIGN_PATCHES (a list of patch files) applies those instead, e.g.
# the series without its later fixes, to show what a test caught.
. "$(dirname "$0")/lib.sh"

kdir=$1
# the series of the tree: patches/6.12 or patches/7.2
dir=$(patch_series_of "$kdir")
out=$SMBSIGN_BUILD/smb-$(basename "$dir")
[ -f "$SMBSIGN_ROOT/Module.symvers" ] || { log "build smbsign first"; exit 1; }
patches=${SMBSIGN_PATCHES:-$(series_patches "$dir")}
# the same patches, smbsign exports and kernel as last time: reuse them
stamp=$(cat $patches "$SMBSIGN_ROOT/Module.symvers" "$SMBSIGN_ROOT"/include/linux/*.h |
	sha256sum | cut -c1-16)-$(basename "$kdir")
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] &&
   [ -f "$out/fs/smb/client/cifs.ko" ] && [ -f "$out/fs/smb/server/ksmbd.ko" ]; then
	echo "$out"
	exit 0
fi
rm -rf "$out"
copy_smb_sources "$kdir" "$out"
for p in $patches; do
	patch -d "$out" -p1 --quiet --forward < "$p" >&2 || { log "$(basename "$p") does not apply"; exit 1; }
done
make_smb_modules "$kdir" "$out" >&2
echo "$stamp" > "$out/.stamp"
echo "$out"

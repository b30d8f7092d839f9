#!/bin/bash
# Build (or reuse) the test kernel: Debian's linux-source-6.12, tinyconfig plus
# the fragments given (default: tools/kconfig/base.config and net.config,
# one kernel for the KUnit suites, the end-to-end tests and the demo). The tree is cached outside the repository,
# keyed by the source tarball and the fragments, so it is rebuilt only when
# one of them changes. Prints the path of the built tree on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}
tarball=${SMBSIGN_KSRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
fragments=()
for f in "$@"; do
	fragments+=("$(realpath "$f")")
done
[ ${#fragments[@]} -gt 0 ] || fragments=("$here/kconfig/base.config" "$here/kconfig/net.config")

[ -r "$tarball" ] || { echo "build-kernel: $tarball missing (apt-get install linux-source-6.12)" >&2; exit 1; }
key=$( (stat -c '%s %Y' "$tarball"; cat "${fragments[@]}") | sha256sum | cut -c1-16)
tree="$cache/kernel-$key"
if [ -f "$tree/.smbsign-built" ]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$cache"
rm -rf "$tree.tmp"
mkdir -p "$tree.tmp"
echo "build-kernel: unpacking $(basename "$tarball") into $tree" >&2
tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
cd "$tree.tmp"
make -s ARCH=x86_64 tinyconfig >&2
scripts/kconfig/merge_config.sh -m .config "${fragments[@]}" >/dev/null
make -s ARCH=x86_64 olddefconfig >&2
# Every fragment line must have survived olddefconfig, or the guest lacks it.
missing=0
for f in "${fragments[@]}"; do
	while read -r line; do
		case "$line" in CONFIG_*) ;; *) continue ;; esac
		grep -qx "$line" .config || { echo "build-kernel: $line did not stick" >&2; missing=1; }
	done < "$f"
done
[ $missing = 0 ] || exit 1
echo "build-kernel: building bzImage and modules ($(nproc) jobs)" >&2
make -s -j"$(nproc)" ARCH=x86_64 bzImage modules >&2
cd /
mv "$tree.tmp" "$tree"
touch "$tree/.smbsign-built"
echo "$tree"

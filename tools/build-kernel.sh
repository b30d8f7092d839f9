#!/bin/bash
# Build (or reuse) a test kernel: tinyconfig plus the fragments given
# (default: tools/kconfig/base.config and net.config, one kernel for the
# KUnit suites, the end-to-end tests and the demo) plus the series' crypto
# drivers (crypto-<series>.config). SMBSIGN_KSERIES picks the source:
# 6.12 (default; Debian 12's linux-source-6.12) or 7 (linux-source-7.2
# from trixie-backports, tools/ksrc.sh). The tree is cached outside the
# repository, keyed by the source tarball and the fragments' settings,
# so it is rebuilt only when one of them changes. Prints the tree's path
# on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}
series=${SMBSIGN_KSERIES:-6.12}
tarball=$("$here/ksrc.sh" "$series")
fragments=()
for f in "$@"; do
	fragments+=("$(realpath "$f")")
done
[ ${#fragments[@]} -gt 0 ] || fragments=("$here/kconfig/base.config" "$here/kconfig/net.config")
fragments+=("$here/kconfig/crypto-$series.config")

[ -r "$tarball" ] || { echo "build-kernel: $tarball missing" >&2; exit 1; }
# keyed by the settings (CONFIG_ lines, "# CONFIG_X is not set" included):
# a comment edit does not rebuild
key=$( (stat -c '%s %Y' "$tarball"; grep -h 'CONFIG_' "${fragments[@]}") |
	sha256sum | cut -c1-16)
tree="$cache/kernel-$key"
if [ -f "$tree/.smbsign-built" ]; then
	echo "$tree"
	exit 0
fi

# one build at a time: a second caller waits for the first, then finds
# its tree built
mkdir -p "$cache"
exec 9>"$cache/.build.lock"
flock 9
if [ -f "$tree/.smbsign-built" ]; then
	echo "$tree"
	exit 0
fi
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
		case "$line" in
		CONFIG_*) grep -qx "$line" .config ;;
		"# CONFIG_"*" is not set") sym=${line#\# } && ! grep -q "^${sym%% *}=" .config ;;
		*) continue ;;
		esac || { echo "build-kernel: $line did not stick" >&2; missing=1; }
	done < "$f"
done
[ $missing = 0 ] || exit 1
echo "build-kernel: building bzImage and modules ($(nproc) jobs)" >&2
make -s -j"$(nproc)" ARCH=x86_64 bzImage modules >&2
cd /
mv "$tree.tmp" "$tree"
touch "$tree/.smbsign-built"
echo "$tree"

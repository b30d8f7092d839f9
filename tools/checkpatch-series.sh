#!/bin/bash
# checkpatch.pl --strict over a patch series as it would be posted:
# tools/checkpatch-series.sh KDIR DIR checks DIR/0*.patch (not the cover
# letter) with KDIR's checkpatch.pl and prints every finding. Exits
# non-zero on any finding except one: CamelCase on an identifier the
# tree's fs/smb headers already declare (MS-SMB2's field names, such as
# SessionId, which every patch touching the wire format uses; checkpatch
# only knows the identifiers of include/, so it flags these on any
# upstream SMB patch too). And checkpatch cannot look up the commits a
# Fixes: tag or a message cites (UNKNOWN_COMMIT_ID) in a tree unpacked
# from a source package, which has no git history: check them against
# the published history by hand.
. "$(dirname "$0")/lib.sh"
kdir=$1 dir=$(cd "$2" && pwd)
known=$(mktemp)
trap 'rm -f "$known"' EXIT
# every identifier the tree's SMB headers contain
find "$kdir/fs/smb" -name '*.h' -exec grep -ohE '\b[A-Za-z_][A-Za-z0-9_]*\b' {} + |
	sort -u >"$known"
bad=0
for p in $(series_patches "$dir"); do
	# (run outside any git checkout: inside one, checkpatch.pl takes
	# the patch file for a file the patch adds)
	out=$(cd "$kdir" && scripts/checkpatch.pl --strict --terse --show-types \
		--ignore UNKNOWN_COMMIT_ID --no-tree "$p" 2>/dev/null | grep -v '^total:' || true)
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		name=$(sed -nE 's/.*:CAMELCASE: Avoid CamelCase: <([A-Za-z0-9_]+)>.*/\1/p' <<<"$line")
		if [ -n "$name" ] && grep -qx "$name" "$known"; then
			continue
		fi
		echo "${line#"$dir"/}"
		bad=1
	done <<<"$out"
done
exit $bad

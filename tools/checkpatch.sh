#!/bin/bash
# Kernel style check of every C source and header, with the checkpatch.pl
# of the test kernel's source tree. Exits non-zero on any error or warning.
. "$(dirname "$0")/lib.sh"

kdir=$(test_kernel)
cd "$SMBSIGN_ROOT"
files=$(git ls-files '*.c' '*.h' | grep -v '^tools/fuzz/')
# Not a kernel tree, so no MAINTAINERS lookups or kernel-tree-only checks.
"$kdir/scripts/checkpatch.pl" --no-tree --strict --file --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG $files
# libFuzzer fixes its entry point's name (LLVMFuzzerTestOneInput)
"$kdir/scripts/checkpatch.pl" --no-tree --strict --file --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,CAMELCASE tools/fuzz/*.c

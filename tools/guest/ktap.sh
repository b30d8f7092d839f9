# Sourced by the guest payloads: print the results of every KUnit suite in
# debugfs as one KTAP document between markers the host looks for (the
# suites' own "ok 1" lines renumbered), for tools/testing/kunit/kunit.py.
emit_ktap() {
	local n i d
	n=$(ls -d /sys/kernel/debug/kunit/*/ 2>/dev/null | wc -l)
	echo SMBSIGN-KTAP-BEGIN
	echo "KTAP version 1"
	echo "1..$n"
	i=0
	for d in /sys/kernel/debug/kunit/*/; do
		i=$((i + 1))
		sed -E -e '1,2d' -e "\$s/^(not ok|ok) 1 /\\1 $i /" "$d/results"
	done
	echo SMBSIGN-KTAP-END
}

# Guest payload of `make check`: load smbsign through modprobe (softdeps
# and symbol dependencies included), run every KUnit suite by loading the
# test module, and print one KTAP document built from debugfs.
if ! modprobe smbsign; then
	echo "SMBSIGN-ERROR: modprobe smbsign failed"
	dmesg | tail -20
fi
dmesg | grep -o 'smbsign .*self-tests passed.*' || echo "SMBSIGN-ERROR: no self-test line"
modprobe smbsign_kunit || echo "SMBSIGN-ERROR: modprobe smbsign_kunit failed"
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

# The real debugfs files, while a consumer holds keys "held-demo-key-00":
# neither the bytes nor their hex may appear.
if modprobe smbsign_demo hold_keys=3; then
	if grep -rqiE 'held-demo-key|68656c642d64656d6f2d6b65792d3030' /sys/kernel/debug/smbsign/; then
		echo "SMBSIGN-ERROR: debugfs shows key bytes"
	else
		echo "SMBSIGN-SECRETS-OK: debugfs shows no key bytes ($(grep 'live keys' /sys/kernel/debug/smbsign/stats))"
	fi
	rmmod smbsign_demo
else
	echo "SMBSIGN-ERROR: modprobe smbsign_demo hold_keys=3 failed"
fi

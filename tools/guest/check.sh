# Guest payload of `make check`: load smbsign through modprobe (softdeps
# and symbol dependencies included), run every KUnit suite by loading the
# test module, and print one KTAP document built from debugfs. On a
# kernel with fault injection (the 7.x library build) the zero-allocation
# suite runs too.
if [ -d /sys/kernel/debug/failslab ]; then
	. /faults.sh
	arm_fault_injection
fi
if ! modprobe smbsign; then
	echo "SMBSIGN-ERROR: modprobe smbsign failed"
	dmesg | tail -20
fi
dmesg | grep -o 'smbsign .*self-tests passed.*' || echo "SMBSIGN-ERROR: no self-test line"
# What an administrator sees in tracefs: the suites' forged messages.
T=/sys/kernel/tracing
mount -t tracefs tracefs $T 2>/dev/null
echo 1 > $T/events/smbsign/smbsign_verify_failed/enable ||
	echo "SMBSIGN-ERROR: no smbsign_verify_failed trace event"
modprobe smbsign_kunit || echo "SMBSIGN-ERROR: modprobe smbsign_kunit failed"
echo 0 > $T/events/smbsign/smbsign_verify_failed/enable
n=$(grep -c 'smbsign_verify_failed: alg=AES-GMAC sid=0x[0-9a-f]* mid=[0-9]* cmd=0x' $T/trace)
if [ "$n" -gt 0 ]; then
	echo "SMBSIGN-TRACE-OK: $n smbsign_verify_failed events in tracefs, e.g. $(grep -m1 -o 'alg=AES-GMAC.*' $T/trace)"
else
	echo "SMBSIGN-ERROR: no smbsign_verify_failed event in tracefs"
fi
. /ktap.sh
emit_ktap

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

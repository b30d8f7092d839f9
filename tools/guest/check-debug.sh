# Guest payload of the debug-kernel run (KASAN, UBSAN, lockdep, kmemleak,
# fault injection; panic_on_warn on the command line). Prints one KTAP
# document like check.sh, then "CHECK ok/FAIL" lines of its own.
ok() { echo "CHECK ok $*"; }
fail() { echo "CHECK FAIL $*"; }
# After a stretch that fails allocations on purpose, the kernel log holds
# expected noise (allocation-failure traces, self-tests reporting -ENOMEM):
# pass on what would be a real problem, then clear it.
real_trouble_then_clear() {
	dmesg | grep -E 'BUG:|KASAN|UBSAN|WARNING:|Oops|general protection|kmemleak: [1-9]' |
		sed 's/^/SMBSIGN-ERROR: /'
	dmesg -c >/dev/null
}
kver=$(uname -r)
ko=/lib/modules/$kver/extra/smbsign.ko

. /faults.sh
arm_fault_injection

modprobe smbsign || echo "SMBSIGN-ERROR: modprobe smbsign failed"
modprobe smbsign_kunit fuzz_iterations=100000 || echo "SMBSIGN-ERROR: modprobe smbsign_kunit failed"
. /ktap.sh
emit_ktap
rmmod smbsign_kunit
real_trouble_then_clear

# Unload safety: each live key pins the module.
modprobe smbsign_demo hold_keys=3
refs=$(cat /sys/module/smbsign/refcnt)
if [ "$refs" = 4 ] && ! rmmod smbsign 2>/dev/null; then
	ok "rmmod smbsign refused with 3 live keys (refcnt $refs: the consumer and 3 keys)"
else
	fail "rmmod smbsign with 3 live keys: refcnt $refs, module $(grep -c '^smbsign ' /proc/modules)"
fi
rmmod smbsign_demo
refs=$(cat /sys/module/smbsign/refcnt)
if [ "$refs" = 0 ] && rmmod smbsign && [ ! -e /sys/kernel/debug/smbsign ]; then
	ok "rmmod smbsign after the keys went: refcnt 0, module and debugfs gone"
else
	fail "rmmod smbsign after the keys went: refcnt $refs"
fi

# The allocations of module init (the self-tests, the key constructor)
# are failed one by one in the smbsign_fault_injection suite above.
if modprobe smbsign && modprobe smbsign_demo; then
	ok "smbsign loads and signs after the fault-injection suite"
	rmmod smbsign_demo
else
	fail "smbsign unusable after the fault-injection suite"
fi

# Leaks: two scans, as kmemleak advises, and the report must be empty.
echo scan > /sys/kernel/debug/kmemleak
sleep 2
echo scan > /sys/kernel/debug/kmemleak
leaks=$(cat /sys/kernel/debug/kmemleak)
if [ -z "$leaks" ]; then
	ok "kmemleak: no unreferenced objects"
else
	fail "kmemleak: $(echo "$leaks" | grep -c unreferenced) unreferenced objects"
	echo "$leaks" | head -40
fi

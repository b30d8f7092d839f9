# Sourced by the guest payloads on kernels with fault injection: arm
# failslab and fail_page_alloc so that allocations fail only for tasks
# that ask (make_it_fail, the task filter, or /proc/self/fail-nth),
# GFP_KERNEL allocations included. The smbsign_fault_injection suite
# relies on it.
arm_fault_injection() {
	local a d
	for a in failslab fail_page_alloc; do
		d=/sys/kernel/debug/$a
		echo 100 > $d/probability
		echo 1 > $d/interval
		echo -1 > $d/times
		echo 0 > $d/verbose
		echo Y > $d/task-filter
		echo N > $d/ignore-gfp-wait
	done
	echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
	echo 0 > /sys/kernel/debug/fail_page_alloc/min-order
}

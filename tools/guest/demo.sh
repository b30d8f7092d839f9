# Guest payload of `make demo`.
section() { printf '\n=== %s ===\n' "$*"; }

section "modprobe smbsign (softdeps load the accelerated drivers first)"
modprobe smbsign || { echo "SMBSIGN-ERROR: modprobe smbsign failed"; dmesg | tail; }
dmesg | grep 'smbsign' | grep -v 'taints kernel' | sed 's/^\[[ 0-9.]*\] //'
echo "modules loaded: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"

section "parameters (/sys/module/smbsign/parameters)"
for p in /sys/module/smbsign/parameters/*; do
	printf '  %-24s %s\n' "$(basename "$p")" "$(cat "$p")"
done

section "a consumer signs and verifies one message per algorithm"
dmesg -c >/dev/null
modprobe smbsign_demo || echo "SMBSIGN-ERROR: the demo consumer failed"
dmesg | grep smbsign_demo | sed 's/^\[[ 0-9.]*\] //'

section "statistics (/sys/kernel/debug/smbsign/stats)"
cat /sys/kernel/debug/smbsign/stats

# Guest payload of `make bench`: the micro-benchmarks of smbsign_bench.ko,
# then copies over a cifs -> ksmbd loopback mount, unsigned and signed
# with each algorithm, through the patched modules and the kernel's stock
# ones (6.12 or 7.2). Everything the host needs is on "SMBSIGN-BENCH" lines.
P=/sys/module/smbsign/parameters
STATS=/sys/kernel/debug/smbsign/stats
MB=$(cat /bench-mb)
now() { /bin/gnudate +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }
# signed and verified messages of one algorithm (aes-gmac, ...) so far
counters() { awk -v a="$1" '$1 == a { print $3 + $5 }' $STATS; }

modprobe smbsign || echo "SMBSIGN-ERROR: modprobe smbsign failed"
echo "SMBSIGN-BENCH clock source=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

for a in hmac cmac gmac; do
	dmesg -c >/dev/null
	insmod /lib/modules/$(uname -r)/extra/smbsign_bench.ko alg=$a $(cat /bench-args) ||
		echo "SMBSIGN-ERROR: smbsign_bench alg=$a failed"
	dmesg | grep -o 'SMBSIGN-BENCH.*'
	rmmod smbsign_bench 2>/dev/null
done
# the drivers smbsign's keys got (a key must have existed)
awk 'NR > 1 && NF == 9 { print "SMBSIGN-BENCH driver alg=" $1 " smbsign=" $2 }' $STATS

[ "$MB" -gt 0 ] || return 0
modprobe ksmbd || echo "SMBSIGN-ERROR: modprobe ksmbd failed"
modprobe cifs || echo "SMBSIGN-ERROR: modprobe cifs failed"
. /ksmbd-setup.sh
start_ksmbd auto || return 0
dd if=/dev/urandom of=/tmp/src bs=1M count="$MB" 2>/dev/null

# $1 cell name, $2 mount options, $3 algorithm whose counters must move
# (- for none). Write MB MiB, remount (nothing cached), read them back;
# best of two.
cell() {
	local best_w=0 best_r=0 before after t0 t1 w r signed rep
	for rep in 1 2; do
		before=$([ "$3" = - ] || counters "$3")
		smb_mount "$2" || { echo "SMBSIGN-ERROR: $1: mount failed"; return; }
		signed=$(grep -q 'signed' /proc/fs/cifs/DebugData && echo yes || echo no)
		t0=$(now); cp /tmp/src /mnt/smb/f; umount /mnt/smb; t1=$(now)
		w=$(ms "$t0" "$t1")
		smb_mount "$2" || { echo "SMBSIGN-ERROR: $1: mount failed"; return; }
		t0=$(now); cat /mnt/smb/f > /dev/null; t1=$(now)
		r=$(ms "$t0" "$t1")
		umount /mnt/smb
		cmp -s /tmp/src /srv/share/f || echo "SMBSIGN-ERROR: $1: the file on the share differs"
		rm -f /srv/share/f
		after=$([ "$3" = - ] || counters "$3")
		[ $best_w = 0 ] || [ "$w" -lt $best_w ] && best_w=$w
		[ $best_r = 0 ] || [ "$r" -lt $best_r ] && best_r=$r
	done
	echo "SMBSIGN-BENCH e2e cell=$1 mb=$MB write_ms=$best_w read_ms=$best_r debugdata_signed=$signed msgs=$(( ${after:-0} - ${before:-0} ))"
}

cell unsigned "vers=3.1.1" -
cell hmac "vers=2.1,sign" hmac-sha256
echo cmac > $P/algorithms
cell cmac "vers=3.1.1,sign" aes-cmac
echo gmac,cmac,hmac > $P/algorithms
cell gmac "vers=3.1.1,sign" aes-gmac

# The kernel's stock modules, unpatched: CMAC is all they sign SMB 3.1.1
# with.
ksmbd.control -s >/dev/null 2>&1
sleep 1
rmmod cifs ksmbd || echo "SMBSIGN-ERROR: rmmod cifs ksmbd"
insmod /stock/ksmbd.ko && insmod /stock/cifs.ko || echo "SMBSIGN-ERROR: stock modules"
ksmbd.mountd -n >/tmp/mountd.log 2>&1 &
sleep 2
cell stock-unsigned "vers=3.1.1" -
cell stock-cmac "vers=3.1.1,sign" -

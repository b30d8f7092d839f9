#!/bin/sh
# The guest end of the host's control channel (busybox nc -ll -e): one
# command line in, its output back. The host drives the peer tests with it.
read -r cmd arg1 arg2 arg3
# the share through the host proxy (guestfwd 10.0.2.110) on $1, SMB 3.1.1,
# more mount options in $2
via_mount() {
	mkdir -p "$1"
	mount -t cifs //10.0.2.110/share "$1" -o \
		ip=10.0.2.110,unc=//10.0.2.110/share,username=tester,password=secret,vers=3.1.1,$2 2>&1
}
case "$cmd" in
stats)	cat /sys/kernel/debug/smbsign/stats ;;
seed)	dd if=/dev/urandom of="/srv/share/$arg1" bs=1K count="$arg2" 2>/dev/null
	chmod 0666 "/srv/share/$arg1"	# writable by the SMB user's uid
	sha256sum "/srv/share/$arg1" | cut -d' ' -f1 ;;
sha)	sha256sum "/srv/share/$arg1" 2>/dev/null | cut -d' ' -f1 ;;
param)	echo "$arg2" > "/sys/module/smbsign/parameters/$arg1" && echo ok ;;
kmsg)	dmesg | grep -E "$arg1" | tail -5 ;;
# cifs reads file $arg1 through a host proxy (guestfwd 10.0.2.110) that
# changes what the host's test says, with mount options $arg2 (default
# "sign"); prints read-ok, read-failed or mount-failed. dd, as it reads
# with read(2) alone: busybox cat tries sendfile(2) first and, when that
# fails, reads again with read(2), on the connection cifs has made anew,
# so its success would not say what became of the changed response.
readvia) if via_mount /mnt/tamper "cache=none,${arg2:-sign}"; then
		if dd if="/mnt/tamper/$arg1" of=/tmp/readvia bs=64k 2>/tmp/readvia.err; then
			echo "read-ok $(sha256sum /tmp/readvia | cut -d' ' -f1)"
		else
			echo "read-failed $(cat /tmp/readvia.err)"
		fi
		umount -f /mnt/tamper 2>/dev/null || umount -l /mnt/tamper
	else
		echo "mount-failed"
	fi ;;
# cifs holds file $arg1 open through the host proxy (guestfwd 10.0.2.110),
# with its oplock and a cached write, while a second mount over its own
# connection appends to it: ksmbd breaks the oplock and cifs acknowledges
# the break through the proxy. Prints the file's sha256 afterwards, or mount-failed.
breakvia) mkdir -p /mnt/other
	if via_mount /mnt/tamper sign &&
	   mount -t cifs //127.0.0.1/share /mnt/other -o \
		ip=127.0.0.1,unc=//127.0.0.1/share,username=tester,password=secret,vers=3.1.1,sign 2>&1; then
		exec 3<> "/mnt/tamper/$arg1"
		cat <&3 > /dev/null
		echo held >&3		# cached under the batch oplock
		echo appended >> "/mnt/other/$arg1"
		sleep 3
		exec 3<&-
		echo "appended $(sha256sum "/srv/share/$arg1" | cut -d' ' -f1)"
	else
		echo "mount-failed"
	fi
	umount /mnt/other 2>/dev/null
	umount -f /mnt/tamper 2>/dev/null || umount -l /mnt/tamper 2>/dev/null ;;
# a multichannel mount (max_channels=2) through the host proxy at
# 10.0.2.110; ksmbd offers the guest's eth0 address for the second channel
mcvia)	if via_mount /mnt/mc sign,multichannel,max_channels=2; then
		echo "$arg1" > "/mnt/mc/$arg1" && sync
		# DebugData prints "Extra Channels" only when there are some
		extra=$(sed -n 's/.*Extra Channels: \([0-9]*\).*/\1/p' /proc/fs/cifs/DebugData | head -1)
		echo "mounted extra=${extra:-0} read=$(cat "/mnt/mc/$arg1")"
		rm -f "/mnt/mc/$arg1"
		umount /mnt/mc
	else
		echo "mount-failed"
	fi ;;
# ksmbd restarted on the stock 6.12 module or the patched one
ksmbd)	. /ksmbd-setup.sh
	restart_ksmbd "$arg1" >/dev/null 2>&1 && echo ok || echo failed ;;
# an empty share
clean)	rm -rf /srv/share/* /srv/share/.[!.]* 2>/dev/null; echo ok ;;
done)	touch /tmp/host-done; echo ok ;;
*)	echo "unknown command: $cmd" ;;
esac

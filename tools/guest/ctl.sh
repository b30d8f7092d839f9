#!/bin/sh
# The guest end of the host's control channel (busybox nc -ll -e): one
# command line in, its output back. The host drives the peer tests with it.
read -r cmd arg1 arg2
case "$cmd" in
stats)	cat /sys/kernel/debug/smbsign/stats ;;
seed)	dd if=/dev/urandom of="/srv/share/$arg1" bs=1K count="$arg2" 2>/dev/null
	chmod 0666 "/srv/share/$arg1"	# writable by the SMB user's uid
	sha256sum "/srv/share/$arg1" | cut -d' ' -f1 ;;
sha)	sha256sum "/srv/share/$arg1" 2>/dev/null | cut -d' ' -f1 ;;
param)	echo "$arg2" > "/sys/module/smbsign/parameters/$arg1" && echo ok ;;
kmsg)	dmesg | grep -E "$arg1" | tail -5 ;;
# cifs reads a file through a host proxy (guestfwd 10.0.2.110) that
# flips a byte of the READ response: the read must fail.
readvia) mkdir -p /mnt/tamper
	if mount -t cifs //10.0.2.110/share /mnt/tamper -o \
		ip=10.0.2.110,unc=//10.0.2.110/share,username=tester,password=secret,vers=3.1.1,sign,cache=none 2>&1; then
		if cat "/mnt/tamper/$arg1" > /tmp/readvia 2>/tmp/readvia.err; then
			echo "read-ok $(sha256sum /tmp/readvia | cut -d' ' -f1)"
		else
			echo "read-failed $(cat /tmp/readvia.err)"
		fi
		umount -f /mnt/tamper 2>/dev/null || umount -l /mnt/tamper
	else
		echo "mount-failed"
	fi ;;
done)	touch /tmp/host-done; echo ok ;;
*)	echo "unknown command: $cmd" ;;
esac

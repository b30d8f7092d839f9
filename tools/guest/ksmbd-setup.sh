# Sourced by the guest payloads that need an SMB server: ksmbd exporting
# /srv/share (tmpfs) to user "tester" (password "secret"), with ksmbd.conf
# "server signing = $1". Returns once ksmbd listens on port 445.
# smb_mount mounts that share.
start_ksmbd() {
	ip link set lo up
	mkdir -p /srv /mnt/smb /etc/ksmbd /run /var/run
	mount -t tmpfs -o size=96m tmpfs /srv
	mkdir -p /srv/share
	chmod 0777 /srv/share
	# ksmbd works on files as the UNIX user the SMB user maps to
	echo 'tester:x:1000:1000::/srv/share:/bin/sh' >> /etc/passwd
	echo 'tester:x:1000:' >> /etc/group
	printf '[global]\n\tserver signing = %s\n\tserver min protocol = SMB2_10\n[share]\n\tpath = /srv/share\n\tread only = no\n' \
		"$1" > /etc/ksmbd/ksmbd.conf
	ksmbd.adduser -a tester -p secret >/dev/null || echo "SMBSIGN-ERROR: ksmbd.adduser failed"
	ksmbd.mountd -n >/tmp/mountd.log 2>&1 &
	# until ksmbd listens on port 445 (0x01BD): a dual-stack IPv6 socket
	# where the kernel has IPv6, so look in tcp6 as well as tcp
	i=0
	while [ $i -lt 60 ]; do
		cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
			grep -qE ':01BD [0-9A-F]+:0000 0A' && return 0
		sleep 1
		i=$((i + 1))
	done
	echo "SMBSIGN-ERROR: ksmbd does not listen"
	cat /tmp/mountd.log
	return 1
}

# Mount the share on /mnt/smb as "tester" over loopback, with more options
# in $1 (ip= and unc= there override the defaults).
smb_mount() {
	# a freshly dropped connection can need a moment; retry briefly
	for i in 1 2 3 4 5 6 7 8 9 10; do
		mount -t cifs //127.0.0.1/share /mnt/smb \
			-o "ip=127.0.0.1,unc=//127.0.0.1/share,username=tester,password=secret,$1" \
			2>/tmp/mount.err && return 0
		sleep 1
	done
	cat /tmp/mount.err
	return 1
}

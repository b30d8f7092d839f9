# Sourced by the guest payloads that need an SMB server: ksmbd exporting
# /srv/share (tmpfs) to user "tester" (password "secret"), with ksmbd.conf
# "server signing = $1" and multichannel allowed, $2 one more [global]
# line and $3 one more [share] line if given. Returns once ksmbd listens
# on port 445. restart_ksmbd restarts it, with the stock 6.12 module
# ("stock") or the patched one ("patched") if asked.
# smb_mount mounts that share.
start_ksmbd() {
	ip link set lo up
	mkdir -p /srv /mnt/smb /etc/ksmbd /run /var/run
	mount -t tmpfs -o size=${SMBSIGN_SRV_SIZE:-96m} tmpfs /srv
	mkdir -p /srv/share
	chmod 0777 /srv/share
	# ksmbd works on files as the UNIX user the SMB user maps to
	echo "tester:x:${SMBSIGN_SRV_UID:-1000}:${SMBSIGN_SRV_UID:-1000}::/srv/share:/bin/sh" >> /etc/passwd
	echo "tester:x:${SMBSIGN_SRV_UID:-1000}:" >> /etc/group
	printf '[global]\n\tserver signing = %s\n\tserver min protocol = SMB2_10\n\tserver multi channel support = yes\n%s[share]\n\tpath = /srv/share\n\tread only = no\n%s' \
		"$1" "${2:+	$2
}" "${3:+	$3
}" > /etc/ksmbd/ksmbd.conf
	ksmbd.adduser -a tester -p secret >/dev/null || echo "SMBSIGN-ERROR: ksmbd.adduser failed"
	ksmbd.mountd -n >/tmp/mountd.log 2>&1 &
	ksmbd_wait 60 && return 0
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

# until ksmbd listens on port 445 (0x01BD), at most $1 seconds: a
# dual-stack IPv6 socket where the kernel has IPv6, so look in tcp6 as
# well as tcp
ksmbd_wait() {
	local i=0
	while [ $i -lt "$1" ]; do
		cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
			grep -qE ':01BD [0-9A-F]+:0000 0A' && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# Module $1 (cifs or ksmbd) replaced by the stock 6.12 one ($2 stock) or
# the patched one ($2 patched), once its last user is gone (15 s at most)
swap_module() {
	local i=0
	while ! rmmod "$1" 2>/dev/null && [ $i -lt 15 ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ -d "/sys/module/$1" ]; then
		echo "SMBSIGN-ERROR: $1 still loaded, cannot switch to the $2 module"
		return 1
	fi
	case "$2" in
	stock)	insmod "/stock/$1.ko" ;;
	*)	modprobe "$1" ;;
	esac || { echo "SMBSIGN-ERROR: loading the $2 $1 failed"; return 1; }
}

restart_ksmbd() {
	ksmbd.control -s >/dev/null 2>&1
	sleep 1
	if [ -n "$1" ]; then
		swap_module ksmbd "$1" || return 1
	fi
	ksmbd.mountd -n >/tmp/mountd.log 2>&1 &
	ksmbd_wait 30 && return 0
	echo "SMBSIGN-ERROR: ksmbd did not listen again"
	return 1
}

# The host drives the rest through the control channel (ctl.sh on port
# 9000): say $1 (the marker it waits for), then wait until it is done,
# at most $2 seconds.
serve_host() {
	local i=0 n=0
	cp /ctl.sh /tmp/ctl.sh
	nc -ll -p 9000 -e /tmp/ctl.sh &
	# the marker only once nc listens: the host connects as soon as it
	# reads it, and QEMU resets a forwarded connection nobody accepts
	# (port 9000 is 2328 in /proc/net/tcp; state 0A is LISTEN)
	while ! grep -qE ':2328 [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null &&
	      [ $n -lt 50 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	echo "$1"
	while [ ! -f /tmp/host-done ] && [ $i -lt "$2" ]; do
		sleep 1
		i=$((i + 1))
	done
	[ -f /tmp/host-done ] || echo "SMBSIGN-ERROR: the host never finished its tests"
}

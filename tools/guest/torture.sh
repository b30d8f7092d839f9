# Guest payload of the smbtorture stage: ksmbd (patched; the stock 6.12
# module when the host asks) serving a share set up as ksmbd's own CI sets
# it up (acl_xattr, streams_xattr, leases), signing mandatory. The host
# runs smbtorture against it through the control channel and hostfwd.
modprobe ksmbd || echo "SMBSIGN-ERROR: modprobe ksmbd failed"
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
. /ksmbd-setup.sh
SMBSIGN_SRV_SIZE=256m SMBSIGN_SRV_UID=0 start_ksmbd mandatory \
	"smb2 leases = yes
	durable handles = yes
	share:fake_fscaps = 0" "vfs objects = streams_xattr"
serve_host TORTURE-READY 5400
echo "=== smbsign statistics"
cat /sys/kernel/debug/smbsign/stats

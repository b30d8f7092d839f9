# Guest payload on Debian's own kernel image, with the modules the
# smbsign-dkms package built for it in /lib/modules/<version>/updates/dkms
# (tools/check-debian.sh): what an administrator's machine does after
# `apt install ./smbsign-dkms_*.deb`. Each check prints "E2E ok NAME" or
# "E2E FAIL NAME: why"; the host counts them.
. /cells.sh
kver=$(uname -r)
updates=/lib/modules/$kver/updates

# plain modprobe, as a user types it: depmod's search order prefers
# updates/ to the kernel's own modules, and cifs and ksmbd pull smbsign in
modprobe cifs || fail "modprobe cifs"
modprobe ksmbd || fail "modprobe ksmbd"
path=$(modinfo -n cifs) kpath=$(modinfo -n ksmbd)
if [ -e /sys/module/smbsign/holders/cifs ] && [ -e /sys/module/smbsign/holders/ksmbd ] &&
   [ "${path#$updates/}" != "$path" ] && [ "${kpath#$updates/}" != "$kpath" ]; then
	ok "$kver: modprobe cifs and ksmbd load the DKMS modules ($path, $kpath) and smbsign under them"
else
	fail "$kver: modprobe cifs: $path, ksmbd: $kpath, smbsign holders: $(ls /sys/module/smbsign/holders 2>&1 | xargs)"
fi
drivers=$(dmesg | grep -o 'smbsign .*self-tests passed.*')
case "$drivers" in
*aes-aesni*pclmul*|*aes-aesni*clmul*) ok "$kver: smbsign on the AES-NI and PCLMULQDQ drivers: ${drivers#*: }" ;;
*) fail "$kver: smbsign's drivers: ${drivers:-no self-test line}" ;;
esac

# virtio-net over MMIO, described by microvm's ACPI tables: the driver
# is a module on Debian's kernels
modprobe virtio_mmio && modprobe virtio_net || fail "$kver: modprobe virtio_mmio virtio_net"
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0

. /ksmbd-setup.sh
start_ksmbd mandatory
# The kernel's own cifs and ksmbd on the same share, for the record:
# Debian's 6.1.192 ksmbd refuses every share under Debian 12's
# ksmbd-tools 3.4.7 (6.1.190 bounds ksmbd.mountd's answers by a
# payload_sz that ksmbd-tools fills only from 3.5.2, and lacks 6.12.117's
# follow-up; patches/6.1 0018 backports it). Not a check: a note in the
# log, as the stock modules' behaviour is not what this stage tests.
stock_pair_note() {
	local k=/lib/modules/$kver/kernel/fs/smb what=mounts mark
	ksmbd.control -s >/dev/null 2>&1
	sleep 1
	rmmod cifs ksmbd || return
	insmod $k/server/ksmbd.ko* && insmod $k/client/cifs.ko* &&
		restart_ksmbd >/dev/null
	mark=$(dmesg | wc -l)
	if smb_mount "vers=3.1.1,sign" >/dev/null; then
		umount /mnt/smb
	else
		what="cannot mount ($(dmesg | tail -n +$((mark + 1)) | grep -E 'CIFS.*(IPC|BAD_NETWORK_NAME|cifs_mount failed)' |
			tail -2 | sed 's/^\[[ 0-9.]*\] //' | tr '\n' ' '))"
	fi
	echo "SMBSIGN-NOTE: $kver: the kernel's own cifs and ksmbd, same share: $what"
	ksmbd.control -s >/dev/null 2>&1
	sleep 1
	rmmod cifs ksmbd && modprobe ksmbd && modprobe cifs && restart_ksmbd >/dev/null ||
		echo "SMBSIGN-ERROR: back to the patched modules failed"
}
stock_pair_note
# AES-GMAC is smbsign's first choice: SMB 3.1.1 signs with it on both
# sides, against this guest's ksmbd and the host's Samba
signed_cell "$kver: cifs->ksmbd SMB 3.1.1" aes-gmac "vers=3.1.1,sign"
# the host's Samba allows AES-GMAC only (10.0.2.102)
signed_cell "$kver: cifs->Samba smbd SMB 3.1.1" aes-gmac \
	"ip=10.0.2.102,unc=//10.0.2.102/share,username=root,password=secret-smbd,vers=3.1.1,sign" \
	no-server-copy
# the host flips a byte of a READ response on its way back to cifs
serve_host E2E-READY 600
set -- $(counters aes-gmac)
if [ "${1:-0}" -gt 0 ] && [ "${2:-0}" -gt 0 ]; then
	ok "$kver: the statistics show AES-GMAC: signed $1, verified $2, verify_failed $3"
else
	fail "$kver: aes-gmac counters: ${*:-none}"
fi

# What `dkms remove` does: the modules leave updates/, depmod runs; plain
# modprobe then loads the kernel's own cifs and ksmbd, without smbsign
umount -a -t cifs 2>/dev/null
ksmbd.control -s >/dev/null 2>&1
sleep 2
rmmod cifs ksmbd smbsign 2>/tmp/rmmod.err || fail "$kver: rmmod: $(cat /tmp/rmmod.err)"
rm -rf "$updates"
depmod -a
modprobe cifs && modprobe ksmbd || fail "$kver: modprobe of the stock modules"
path=$(modinfo -n cifs) kpath=$(modinfo -n ksmbd)
if [ -d /sys/module/cifs ] && [ -d /sys/module/ksmbd ] && [ ! -d /sys/module/smbsign ] &&
   [ "${path#/lib/modules/$kver/kernel/}" != "$path" ]; then
	ok "$kver: with the DKMS modules removed, modprobe loads the kernel's own ($path, $kpath), no smbsign"
else
	fail "$kver: after removal: cifs $path, ksmbd $kpath, smbsign loaded: $([ -d /sys/module/smbsign ] && echo yes || echo no)"
fi

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
*aes-aesni*pclmul*|*aes-aesni*clmul*|*pclmulqdq+aes-lib/aes-ni*) ok "$kver: smbsign on the AES-NI and PCLMULQDQ drivers: ${drivers#*: }" ;;
*) fail "$kver: smbsign's drivers: ${drivers:-no self-test line}" ;;
esac

# virtio-net over MMIO, described by microvm's ACPI tables: the driver
# is a module on Debian's kernels
modprobe virtio_mmio && modprobe virtio_net || fail "$kver: modprobe virtio_mmio virtio_net"
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0

. /ksmbd-setup.sh
start_ksmbd mandatory
# Can the kernel's own cifs and ksmbd mount a signed share of this guest?
# Debian 6.1.192's ksmbd refuses every share, IPC$ included, under Debian
# 12's ksmbd-tools (3.4.7: Documentation/smbsign.rst, "cifs and ksmbd"),
# which the 6.1 series mends: upstream behaviour, said as such.
stock_pair_mounts() {
	local k=/lib/modules/$kver/kernel/fs/smb rc=0
	ksmbd.control -s >/dev/null 2>&1
	sleep 1
	rmmod cifs ksmbd || return 1
	insmod $k/server/ksmbd.ko* && insmod $k/client/cifs.ko* || return 1
	restart_ksmbd >/dev/null
	smb_mount "vers=3.1.1,sign" >/dev/null || rc=1
	[ $rc = 1 ] || umount /mnt/smb
	dmesg | grep -E 'CIFS.*(IPC|cifs_mount failed)' | tail -2 | tr '\n' ' ' >/tmp/stock.err
	ksmbd.control -s >/dev/null 2>&1
	sleep 1
	rmmod cifs ksmbd && modprobe ksmbd && modprobe cifs && restart_ksmbd >/dev/null ||
		echo "SMBSIGN-ERROR: back to the patched modules failed"
	return $rc
}
stock_pair_mounts ||
	ok "$kver: upstream behaviour: the kernel's own cifs and ksmbd cannot mount a signed share of this guest ($(cat /tmp/stock.err))"
# AES-GMAC is smbsign's first choice: SMB 3.1.1 signs with it on both
# sides, against this guest's ksmbd and (below) the host's Samba
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

# Guest payload of `make demo`: smbsign as cifs and ksmbd use it.
section() { printf '\n=== %s ===\n' "$*"; }
P=/sys/module/smbsign/parameters

section "modprobe ksmbd and cifs: smbsign comes with them, AES-NI/CLMUL drivers first"
modprobe ksmbd || echo "SMBSIGN-ERROR: modprobe ksmbd failed"
modprobe cifs || echo "SMBSIGN-ERROR: modprobe cifs failed"
dmesg | grep -o 'smbsign .*self-tests passed.*'
echo "modules: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"

section "the API a consumer uses: one 8 KiB WRITE per algorithm (smbsign_demo.ko)"
modprobe smbsign_demo || echo "SMBSIGN-ERROR: the demo consumer failed"
dmesg | grep smbsign_demo | sed 's/^\[[ 0-9.]*\] //'
cat /sys/kernel/debug/smbsign/stats

section "what an administrator set (/sys/module/smbsign/parameters)"
echo Y > $P/client_require_signing
echo Y > $P/server_require_signing
for p in $P/*; do
	printf '  %-24s %s\n' "$(basename "$p")" "$(cat "$p")"
done

section "ksmbd exports /srv/share; cifs mounts it over loopback, SMB 3.1.1"
. /ksmbd-setup.sh
start_ksmbd mandatory
smb_mount vers=3.1.1
grep -q ' /mnt/smb ' /proc/mounts || { echo "SMBSIGN-ERROR: no mount"; cat /tmp/mountd.log; }
grep -E 'Dialect|Security type|signed' /proc/fs/cifs/DebugData | sed 's/^[ \t]*/  /' | head -4

section "copy 16 MiB in and out through the signed mount"
dd if=/dev/urandom of=/tmp/src bs=1M count=16 2>/dev/null
cp /tmp/src /mnt/smb/data
umount /mnt/smb
smb_mount vers=3.1.1
cp /mnt/smb/data /tmp/back
echo "  sent     $(sha256sum /tmp/src | cut -d' ' -f1)"
echo "  on share $(sha256sum /srv/share/data | cut -d' ' -f1)"
echo "  read back $(sha256sum /tmp/back | cut -d' ' -f1)"
umount /mnt/smb

section "all that smbsign signed and verified, by which algorithm and driver"
cat /sys/kernel/debug/smbsign/stats

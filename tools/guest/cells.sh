# Sourced by the guest payloads that move data over signed mounts:
# result lines, smbsign's counters, and one signed cell (a mount, 4 MiB
# both ways, the counters of its algorithm).
ok() { echo "E2E ok $*"; }
fail() { echo "E2E FAIL $*"; }
P=/sys/module/smbsign/parameters
STATS=/sys/kernel/debug/smbsign/stats

# counters of one algorithm: signed verified verify_failed
counters() { awk -v a="$1" '$1 == a { print $3, $5, $7 }' $STATS; }
# signed and verified separately, every algorithm
both_counts() { awk 'NR > 1 && NF == 9 { s += $3; v += $5 } END { print s + 0, v + 0 }' $STATS; }
# every smbsign counter that must not move, summed over the algorithms:
# verify_failed + errors + nonce_refused
trouble_count() { awk 'NR > 1 && NF == 9 { t += $7 + $8 + $9 } END { print t + 0 }' $STATS; }

# the 4 MiB every round trip moves
dd if=/dev/urandom of=/tmp/src bs=1M count=4 2>/dev/null
src=$(sha256sum /tmp/src | cut -d' ' -f1)

# Write, remount, read back (the client cache cannot answer), compare.
# $3 = no-server-copy when the share is not this guest's ksmbd
round_trip() {
	local name=$1

	cp /tmp/src /mnt/smb/$name || return 1
	umount /mnt/smb && smb_mount "$2" || return 1
	cp /mnt/smb/$name /tmp/back || return 1
	[ "$(sha256sum /tmp/back | cut -d' ' -f1)" = "$src" ] || return 1
	[ "$3" = no-server-copy ] ||
		[ "$(sha256sum /srv/share/$name | cut -d' ' -f1)" = "$src" ] || return 1
	rm -f /tmp/back
}

# One signed cell: mount with $3, 4 MiB both ways ($4: no-server-copy when
# the share is not this guest's), and algorithm $2's counters must show
# signing and verifying with no failure.
signed_cell() {
	local name=$1 alg=$2 o=$3 where=$4 s v f msg
	set -- $(counters "$alg")
	if ! smb_mount "$o"; then
		# on this guest's share, what ksmbd.mountd said
		msg=
		[ -n "$where" ] || msg=$(tail -3 /tmp/mountd.log 2>/dev/null | tr '\n' ' ')
		fail "$name: mount${msg:+; ksmbd.mountd: $msg}"
		return
	fi
	if ! grep -q 'signed' /proc/fs/cifs/DebugData; then
		fail "$name: DebugData does not say signed"
	fi
	if round_trip "f-$(echo "$name" | tr -c 'a-zA-Z0-9.\n' '-')" "$o" "$where"; then
		umount /mnt/smb
		set -- $1 $2 $3 $(counters "$alg")
		s=$(( $4 - $1 )) v=$(( $5 - $2 )) f=$(( $6 - $3 ))
		if [ $s -gt 0 ] && [ $v -gt 0 ] && [ $f -eq 0 ]; then
			ok "$name: 4 MiB both ways, checksums match; $alg signed +$s verified +$v failed +$f"
		else
			fail "$name: $alg signed +$s verified +$v failed +$f"
		fi
	else
		fail "$name: 4 MiB round trip differs or failed"
		umount /mnt/smb 2>/dev/null
	fi
}


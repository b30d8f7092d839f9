# Sourced by the guest's e2e.sh: the signing rules on cifs -> ksmbd
# traffic inside the guest (the host's e2e_rules.py has the cases that
# need a man in the middle). ok/fail, $P, $STATS and trouble_count come
# from cells.sh, the ksmbd functions from ksmbd-setup.sh (both sourced by
# e2e.sh).

# one counter of an algorithm: $1 algorithm, $2 column name
stat_of() {
	awk -v a="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		$1 == a { print $col[c] }' $STATS
}
# cifs session and share reconnects so far (/proc/fs/cifs/Stats)
reconnects() {
	sed -nE 's/^([0-9]+) session ([0-9]+) share reconnects.*/\1 \2/p' /proc/fs/cifs/Stats |
		awk '{ print $1 + $2 }'
}
# no reconnect loop: a read of file $2 after $1 seconds adds no reconnect
# (an exact-size read: see lost_signing_caps)
settled() {
	local r
	sleep "$1"
	r=$(reconnects)
	dd if="$2" of=/dev/null bs=$(stat -c %s "$2") count=1 2>/dev/null
	sleep 2
	[ "$(reconnects)" = "$r" ]
}
# wait until the live key count stops changing (sessions torn down by an
# earlier umount go asynchronously); the count on stdout
keys_settled() {
	local k n=0
	k=$(sed -n 's/live keys: //p' $STATS)
	while [ $n -lt 20 ]; do
		sleep 1
		[ "$(sed -n 's/live keys: //p' $STATS)" = "$k" ] && break
		k=$(sed -n 's/live keys: //p' $STATS)
		n=$((n + 1))
	done
	echo "$k"
}

# AES-GMAC over every padded compound cifs sends: mkdir, rename and
# rmdir of directories (and the same for files) named with every length
# from 1 to 64 characters. cifs pads these compounds from a static
# buffer inside cifs.ko; any smbsign error or refusal fails it.
gmac_names() {
	local n=1 bad=0 t0 name d=/mnt/smb/names
	echo gmac,cmac,hmac > $P/algorithms
	smb_mount "vers=3.1.1,sign" || { fail "gmac names: mount"; return; }
	mkdir $d
	t0=$(trouble_count)
	set -- $(stat_of aes-gmac signed)
	while [ $n -le 64 ]; do
		name=$(head -c $n /dev/zero | tr '\0' 'd')
		{ mkdir "$d/$name" && mv "$d/$name" "$d/r$name" && rmdir "$d/r$name" &&
		  echo "$n" > "$d/f$name" && mv "$d/f$name" "$d/g$name" &&
		  [ "$(cat "$d/g$name")" = "$n" ] && rm "$d/g$name"; } 2>>/tmp/names.err ||
			bad=$((bad + 1))
		n=$((n + 1))
	done
	[ -z "$(ls -A /srv/share/names)" ] || { bad=$((bad + 1)); echo "left: $(ls /srv/share/names | head -3)" >> /tmp/names.err; }
	rmdir $d
	umount /mnt/smb
	if [ $bad = 0 ] && [ "$(trouble_count)" = "$t0" ] &&
	   [ "$(stat_of aes-gmac signed)" -gt "$1" ]; then
		ok "gmac names: mkdir/rename/rmdir and create/rename/remove, names of 1..64 characters, AES-GMAC: all done, $(( $(stat_of aes-gmac signed) - $1 )) signed, no smbsign error or refusal"
	else
		fail "gmac names: $bad failed ($(head -c 200 /tmp/names.err)), smbsign trouble +$(( $(trouble_count) - t0 ))"
	fi
}

# Encryption used (seal) next to signing required: nothing refused.
sealed() {
	local t0 why=
	echo Y > $P/server_require_signing
	t0=$(trouble_count)
	if ! smb_mount "vers=3.1.1,seal"; then
		why="mount"
	elif ! grep -q ' encrypted' /proc/fs/cifs/DebugData; then
		why="DebugData does not say encrypted"
		umount /mnt/smb
	elif ! round_trip sealed "vers=3.1.1,seal"; then
		why="4 MiB round trip"
		umount /mnt/smb 2>/dev/null
	else
		umount /mnt/smb
		[ "$(trouble_count)" = "$t0" ] || why="smbsign trouble +$(( $(trouble_count) - t0 ))"
	fi
	[ -z "$why" ] &&
		ok "seal with server_require_signing=Y: 4 MiB both ways encrypted, checksums match, nothing refused" ||
		fail "seal: $why"
	rm -f /srv/share/sealed
	echo N > $P/server_require_signing
}

# client_require_signing=Y: a new mount of a share already mounted
# unsigned gets a signed connection of its own.
reuse() {
	local conns signed s0
	echo N > $P/client_require_signing
	smb_mount "vers=3.1.1" || { fail "reuse: first mount"; return; }
	echo Y > $P/client_require_signing
	mkdir -p /mnt/smb2
	s0=$(stat_of aes-gmac signed)
	if mount -t cifs //127.0.0.1/share /mnt/smb2 \
		-o ip=127.0.0.1,unc=//127.0.0.1/share,username=tester,password=secret,vers=3.1.1; then
		echo reuse > /mnt/smb2/reuse && sync
		conns=$(grep -c 'Dialect 0x311' /proc/fs/cifs/DebugData)
		signed=$(grep -c 'Dialect 0x311.*signed' /proc/fs/cifs/DebugData)
		umount /mnt/smb2
		if [ "$conns" = 2 ] && [ "$signed" = 1 ] &&
		   [ "$(stat_of aes-gmac signed)" -gt "$s0" ]; then
			ok "reuse: after client_require_signing=Y a second mount of an unsigned share got its own signed connection"
		else
			fail "reuse: $conns connections, $signed signed"
		fi
	else
		fail "reuse: second mount failed"
	fi
	umount /mnt/smb
	rm -f /srv/share/reuse
	echo N > $P/client_require_signing
}

# A share that does not exist, on a signed AES-GMAC session: ksmbd's
# STATUS_BAD_NETWORK_NAME must come as one error response that verifies
# (it used to send the header twice, with a signature that could not
# verify), so the mount fails with ENOENT, not EACCES, and no signature
# failure is counted.
missing_share() {
	local f0 err
	f0=$(stat_of aes-gmac verify_failed)
	mkdir -p /mnt/missing
	if mount -t cifs //127.0.0.1/nosuch /mnt/missing -o \
		ip=127.0.0.1,unc=//127.0.0.1/nosuch,username=tester,password=secret,vers=3.1.1,sign \
		2>/tmp/missing.err; then
		umount /mnt/missing
		fail "missing share: the mount of //127.0.0.1/nosuch succeeded"
		return
	fi
	err=$(cat /tmp/missing.err)
	if [ "$(stat_of aes-gmac verify_failed)" = "$f0" ] &&
	   [ "${err#*No such file}" != "$err" ]; then
		ok "missing share: mount of a share ksmbd does not have fails with ENOENT, its signed error response verified"
	else
		fail "missing share: aes-gmac verify_failed $f0 -> $(stat_of aes-gmac verify_failed), mount said: $err"
	fi
}

# The server restarted during a copy, preferring another algorithm: the
# mount reconnects with fresh keys, the copy completes or fails cleanly,
# nothing is corrupted, no reconnect loop.
restart_midcopy() {
	local rc r0 size pid
	echo gmac,cmac,hmac > $P/algorithms
	dd if=/dev/urandom of=/tmp/big bs=1M count=24 2>/dev/null
	smb_mount "vers=3.1.1,sign,cache=none" || { fail "restart: mount"; return; }
	r0=$(reconnects)
	cp /tmp/big /mnt/smb/big 2>/tmp/cp.err &
	pid=$!
	sleep 2
	echo cmac,gmac,hmac > $P/algorithms
	restart_ksmbd
	wait $pid
	rc=$?
	# a fresh read from the new session, the new algorithm
	set -- $(stat_of aes-cmac verified)
	sha=$(sha256sum /mnt/smb/big 2>/dev/null | cut -d' ' -f1)
	size=$(stat -c %s /srv/share/big 2>/dev/null || echo 0)
	if [ $rc = 0 ] && [ "$sha" = "$(sha256sum /tmp/big | cut -d' ' -f1)" ] &&
	   [ "$(stat_of aes-cmac verified)" -gt "$1" ] && settled 2 /mnt/smb/big; then
		ok "restart mid-copy, GMAC -> CMAC: copy completed, 24 MiB intact, the new session signs AES-CMAC, $(( $(reconnects) - r0 )) reconnects"
	elif [ $rc != 0 ] && cmp -s -n "$size" /tmp/big /srv/share/big; then
		ok "restart mid-copy, GMAC -> CMAC: the copy failed cleanly ($(head -c 80 /tmp/cp.err)), the $size bytes written are the source's"
	else
		fail "restart mid-copy: cp $rc, sha ok $([ "$sha" = "$(sha256sum /tmp/big | cut -d' ' -f1)" ] && echo y || echo n), reconnects +$(( $(reconnects) - r0 ))"
	fi
	umount /mnt/smb
	rm -f /srv/share/big
	echo gmac,cmac,hmac > $P/algorithms
}

# Reconnect to a server that no longer negotiates a signing algorithm
# (the stock ksmbd, offered AES-GMAC only, sends no SIGNING_CAPABILITIES):
# cifs forgets AES-GMAC and signs AES-CMAC, as MS-SMB2 says, no loop.
# The reads stop at the file's end: the stock 6.12 ksmbd signs a READ
# that fails with STATUS_END_OF_FILE over the wrong buffer (upstream bug,
# fixed by patch 0010), which cifs rightly rejects.
lost_signing_caps() {
	local r0 c0
	echo gmac > $P/algorithms
	smb_mount "vers=3.1.1,sign,cache=none" || { fail "lost caps: mount"; return; }
	head -c 1048576 /dev/urandom > /mnt/smb/caps && sync
	restart_ksmbd stock
	r0=$(reconnects)
	c0=$(stat_of aes-cmac verified)
	dd if=/mnt/smb/caps of=/tmp/caps bs=1048576 count=1 2>/dev/null
	if cmp -s /tmp/caps /srv/share/caps && [ "$(stat_of aes-cmac verified)" -gt "$c0" ] &&
	   settled 2 /mnt/smb/caps; then
		ok "reconnect to a server without SIGNING_CAPABILITIES (stock 6.12 ksmbd): AES-CMAC, 1 MiB read back intact, $(( $(reconnects) - r0 )) reconnects"
	else
		fail "lost caps: read $(cmp -s /tmp/caps /srv/share/caps && echo ok || echo bad), cmac verified +$(( $(stat_of aes-cmac verified) - c0 )), reconnects +$(( $(reconnects) - r0 ))"
	fi
	umount /mnt/smb
	rm -f /srv/share/caps /tmp/caps
	restart_ksmbd patched
	echo gmac,cmac,hmac > $P/algorithms
}

# A logon the server makes a guest session where signing is required:
# the host's smbds ("server signing = mandatory", one per algorithm:
# 10.0.2.100 HMAC-SHA256, .101 AES-CMAC, .102 AES-GMAC) map unknown users
# to guest ("map to guest = bad user"), and a guest session has no
# key both ends know. The stock cifs logs "signing requested but
# authenticated as guest" and goes on unsigned (its signature checks
# only log); the patched one refuses the session (EACCES) and says why,
# in every dialect, with "sign" and without (the server requires it).
# The kernel's line is what tells this refusal from a rejected logon.
guest_refused() {
	local addr cell vers sign n bad=0 what=
	for cell in "10.0.2.102 3.1.1 ,sign" "10.0.2.101 3.0 ,sign" \
		    "10.0.2.100 2.1 ,sign" "10.0.2.102 3.1.1"; do
		set -- $cell
		addr=$1 vers=$2 sign=${3:-}
		n=$(dmesg | grep -c 'made it a guest or anonymous session')
		if mount -t cifs //$addr/public /mnt/smb \
		     -o "ip=$addr,unc=//$addr/public,username=nosuchuser,password=x,vers=$vers$sign" \
		     2>/tmp/guest.err; then
			umount /mnt/smb
			what="$what SMB $vers${sign:+ sign}: mounted (unsigned);"
			bad=1
		elif [ "$(dmesg | grep -c 'made it a guest or anonymous session')" -le "$n" ]; then
			what="$what SMB $vers${sign:+ sign}: failed, but not as a guest ($(cat /tmp/guest.err));"
			bad=1
		else
			what="$what SMB $vers${sign:+ sign} refused;"
		fi
	done
	if [ $bad = 0 ]; then
		ok "a logon the server made a guest session where signing is required:$what"
	else
		fail "a logon the server made a guest session where signing is required:$what"
	fi
}

# Two channels (multichannel, max_channels=2; ksmbd advertises the guest's
# eth0 address next to the loopback one mounted): each channel has its
# own key, the binding verified, data intact.
multichannel() {
	local vers=$1 alg=$2 want=$3 k0 t0 k i
	echo "$alg" > $P/algorithms
	t0=$(trouble_count)
	k0=$(keys_settled)
	if smb_mount "vers=$vers,sign,multichannel,max_channels=2" &&
	   grep -q 'Extra Channels: 1' /proc/fs/cifs/DebugData; then
		# the channel is listed as soon as cifs starts binding it (7.x
		# binds after the mount returns): its keys exist once the binding
		# is done, so wait for them (10 s at most)
		i=0
		while k=$(sed -n 's/live keys: //p' $STATS) && [ $((k - k0)) -lt 4 ] && [ $i -lt 10 ]; do
			sleep 1
			i=$((i + 1))
		done
		if round_trip "mc-$vers-$want" "vers=$vers,sign,multichannel,max_channels=2" &&
		   [ "$(trouble_count)" = "$t0" ] && [ $((k - k0)) -ge 4 ]; then
			ok "multichannel SMB $vers $want: 2 channels, $((k - k0)) keys (a session and a channel key on each side), 4 MiB both ways intact"
		else
			fail "multichannel SMB $vers $want: keys +$((k - k0)), smbsign trouble +$(( $(trouble_count) - t0 ))"
		fi
		umount /mnt/smb
	else
		fail "multichannel SMB $vers $want: no second channel ($(grep -c 'Extra Channels' /proc/fs/cifs/DebugData) lines)"
		umount /mnt/smb 2>/dev/null
	fi
	echo gmac,cmac,hmac > $P/algorithms
}

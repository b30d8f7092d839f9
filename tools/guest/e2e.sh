# Guest payload of the end-to-end tests: the patched cifs and ksmbd, both
# signing through smbsign, over the guest's own loopback. Each check
# prints "E2E ok NAME" or "E2E FAIL NAME: why"; the host counts them.
. /cells.sh

modprobe ksmbd || fail "modprobe ksmbd"
modprobe cifs || fail "modprobe cifs"
if grep -q '^smbsign ' /proc/modules && grep -q '^ksmbd ' /proc/modules &&
   grep -q '^cifs ' /proc/modules; then
	ok "modprobe ksmbd and cifs load smbsign ($(grep '^smbsign ' /proc/modules | cut -d' ' -f4) users)"
else
	fail "modprobe: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
fi

. /ksmbd-setup.sh
. /e2e-rules.sh
. /workloads.sh
# eth0 (QEMU user networking): the host's peers, and ksmbd's second
# interface for multichannel
if [ -f /etc/smbsign-peers ]; then
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
fi

# What runs (the kernel command line): smbsign_e2e=rules, the signing
# rules and the cells without the workloads; smbsign_e2e=workloads, the
# workloads alone; smbsign_e2e=short (the debug kernel), the rules and
# the workloads against ksmbd under AES-GMAC only, without the
# 5000-entry directory and the second fio; smbsign_e2e=upstream (the
# 7.2 series, see below); by default all of it.
mode=full
grep -q 'smbsign_e2e=rules' /proc/cmdline && mode=rules
grep -q 'smbsign_e2e=short' /proc/cmdline && mode=short
grep -q 'smbsign_e2e=workloads' /proc/cmdline && mode=workloads
grep -q 'smbsign_e2e=upstream' /proc/cmdline && mode=upstream
grep -q 'smbsign_e2e=locks' /proc/cmdline && mode=locks
# The 7.2 series leaves the signing policy where upstream has it, in
# cifs's "sign" mount option and ksmbd.conf's "server signing"; smbsign's
# client_require_signing and server_require_signing are not read there.
# So ksmbd requires signing through its own configuration, and the
# checks that turn smbsign's policy parameters (the policy matrix, the
# sealed mount, reuse) are left out; the rest runs as on 6.12, with the
# workloads against ksmbd under AES-GMAC and AES-CMAC (the short list).
if [ $mode = upstream ] || [ $mode = locks ]; then
	start_ksmbd mandatory
else
	start_ksmbd auto
fi

# smbsign_e2e=locks (tools/e2e.sh SMBSIGN_E2E_ONLY=locks, not in make
# check): the locks workload alone, smbsign_locks=N times (20 by
# default) under AES-CMAC and under AES-GMAC, with a 60 s watchdog: how
# often a blocking byte-range lock hangs, on any kernel and series.
if [ $mode = locks ]; then
	runs=$(sed -n 's/.*smbsign_locks=\([0-9]*\).*/\1/p' /proc/cmdline)
	WL_SERVER_DIR=/srv/share WL_LOCK_OPTS=,nolease WL_TIMEOUT=60
	for alg in cmac gmac; do
		echo "$alg,hmac" > $P/algorithms
		wl_locks_repeat "ksmbd SMB 3.1.1 $alg" "vers=3.1.1,sign" "${runs:-20}"
	done
	echo gmac,cmac,hmac > $P/algorithms
	echo "=== smbsign statistics"
	cat $STATS
	# (sourced by init, which reports the kernel's log and reboots)
	return 0
fi

if [ $mode != workloads ] && [ $mode != upstream ]; then
	# The policy matrix: client_require_signing x server_require_signing,
	# no "sign" mount option, ksmbd.conf "server signing = auto". Each cell
	# mounts through its own loopback address, so cifs cannot reuse a
	# connection negotiated under another cell.
	n=10
	for cell in "Y Y signed" "Y N signed" "N Y signed" "N N unsigned"; do
		set -- $cell
		n=$((n + 1))
		what="policy client requires $1, server requires $2"
		echo "$1" > $P/client_require_signing
		echo "$2" > $P/server_require_signing
		set -- $1 $2 $3 $(both_counts)
		o="ip=127.0.0.$n,unc=//127.0.0.$n/share,vers=3.1.1"
		if smb_mount "$o" && round_trip "policy-$1$2" "$o"; then
			grep -q "127.0.0.$n.*signed\|signed.*127.0.0.$n" /proc/fs/cifs/DebugData && dbg=signed || dbg=unsigned
			umount /mnt/smb
			set -- $1 $2 $3 $4 $5 $(both_counts)
			s=$(( $6 - $4 )) v=$(( $7 - $5 ))
			if [ "$3" = signed ] && [ $s -gt 20 ] && [ $v -gt 20 ]; then
				ok "$what: signed ($s signed, $v verified)"
			elif [ "$3" = unsigned ] && [ $s -le 10 ] && [ $v -eq 6 ] && [ $dbg = unsigned ]; then
				# SMB 3.1.1 signs some messages of every session anyway: the
				# final SESSION_SETUP response (MS-SMB2 3.3.5.5.3), which cifs
				# verifies (3.2.5.3.1), and each TREE_CONNECT request and
				# response (3.2.4.1.1); cifs makes two tree connects (IPC$,
				# the share) per mount, two mounts: 2 * (1 + 2 + 2) signed,
				# 2 * (1 + 2) verified: exactly 6, so a cifs that leaves the
				# final SESSION_SETUP response unverified (4) fails here. The
				# 4 MiB of READ and WRITE traffic is not signed.
				ok "$what: not signed (only the $s messages 3.1.1 always signs; $v verified)"
			else
				fail "$what: want $3, got $s signed, $v verified, DebugData $dbg"
			fi
		else
			fail "$what: copy failed"
			umount /mnt/smb 2>/dev/null
		fi
	done
	echo N > $P/client_require_signing
	echo N > $P/server_require_signing
fi

if [ $mode != workloads ]; then
	# Dialects and algorithms, signing required by the client ("sign").
	for cell in "2.1 gmac,cmac,hmac hmac-sha256" "3.0 gmac,cmac,hmac aes-cmac" \
		    "3.02 gmac,cmac,hmac aes-cmac" "3.1.1 cmac,hmac aes-cmac" \
		    "3.1.1 gmac,cmac,hmac aes-gmac"; do
		set -- $cell
		echo "$2" > $P/algorithms
		signed_cell "cifs->ksmbd SMB $1 $3" "$3" "vers=$1,sign"
	done
	echo gmac,cmac,hmac > $P/algorithms

	# Guest cifs -> the host's Samba smbd, one smbd per forced algorithm
	# ("server signing = mandatory", "server smb3 signing algorithms"),
	# reached through QEMU guestfwd at 10.0.2.100-102.
	# The signing rules inside the guest (e2e-rules.sh)
	gmac_names
	if [ $mode != upstream ]; then
		sealed
		reuse
	fi
	missing_share
	restart_midcopy
	lost_signing_caps
	if [ -f /etc/smbsign-peers ]; then
		guest_refused
		multichannel 3.1.1 gmac aes-gmac
		multichannel 3.1.1 cmac aes-cmac
		multichannel 3.0 cmac aes-cmac
	fi
fi

# What users do, on signed mounts (workloads.sh)
if [ $mode != rules ]; then
	# What users do, on signed mounts of this guest's ksmbd, per algorithm
	# (workloads.sh); the fio workload again without the page cache
	for cell in "2.1 gmac,cmac,hmac hmac" "3.1.1 cmac,hmac cmac" "3.1.1 gmac,cmac,hmac gmac"; do
		set -- $cell
		[ $mode = short ] && [ $3 != gmac ] && continue
		[ $mode = upstream ] && [ $3 = hmac ] && continue
		echo "$2" > $P/algorithms
		# nolease for the locks: see workloads.sh
		WL_SERVER_DIR=/srv/share WL_LOCK_OPTS=,nolease
		if [ $mode = short ] || [ $mode = upstream ]; then
			workloads "ksmbd SMB $1 $3" "vers=$1,sign,mfsymlinks,actimeo=0" bigdir
			continue
		fi
		# The 5000-entry directory (100 s a run under TCG) and the 128
		# names (40 s) under AES-GMAC only: listing, creating and renaming
		# are the same QUERY_DIRECTORY, CREATE and SET_INFO traffic
		# whatever signs it (every algorithm signs them in the cells and
		# the other workloads)
		workloads "ksmbd SMB $1 $3" "vers=$1,sign,mfsymlinks,actimeo=0" \
			$([ "$3" = gmac ] || echo bigdir names)
		workloads "ksmbd SMB $1 $3 cache=none" "vers=$1,sign,cache=none" \
			names setattr links bigdir two_writers locks restart
	done
	unset WL_SERVER_DIR WL_ADDR WL_LOCK_OPTS
	echo gmac,cmac,hmac > $P/algorithms

	if { [ $mode = full ] || [ $mode = workloads ]; } && [ -f /etc/smbsign-peers ]; then
		# the same against the host's Samba smbd (no restart from here),
		# under AES-GMAC only: what is new against a server we did not
		# write. HMAC-SHA256 and AES-CMAC sign the same traffic against
		# ksmbd above, and against Samba in the cells.
		while read -r addr vers want pass; do
			[ "$addr $vers" = "10.0.2.102 3.1.1" ] || continue
			# the stock cifs cannot sign AES-GMAC: its comparison runs
			# against the AES-CMAC smbd
			WL_STOCK_ADDR=10.0.2.101
			WL_ADDR=$addr WL_USER=root WL_PASS=$pass
			workloads "Samba SMB $vers $want" "vers=$vers,sign,mfsymlinks,actimeo=0" restart
		done < /etc/smbsign-peers
		unset WL_ADDR WL_USER WL_PASS WL_STOCK_ADDR
	fi
fi

if [ $mode != workloads ] && [ -f /etc/smbsign-peers ]; then
		while read -r addr vers want pass; do
			signed_cell "cifs->Samba smbd SMB $vers $want" "$want" \
				"ip=$addr,unc=//$addr/share,username=root,password=$pass,vers=$vers,sign" \
				no-server-copy
		done < /etc/smbsign-peers

		# hand over to the host: its clients talk to ksmbd here (the
		# patched one, listening, whatever a failed workload left)
		[ -e /sys/module/smbsign/holders/ksmbd ] && ksmbd_wait 1 || restart_ksmbd patched
		serve_host E2E-READY 900
	fi
echo "=== smbsign statistics"
cat $STATS

# On the debug kernel: everything torn down (sessions logged off, keys
# replaced at reconnects, channels gone), then kmemleak must find nothing.
if [ -e /sys/kernel/debug/kmemleak ]; then
	grep -q ' /mnt/' /proc/mounts && umount -a -t cifs 2>/dev/null
	ksmbd.control -s >/dev/null 2>&1
	sleep 2
	rmmod cifs ksmbd 2>/dev/null
	sed -n 's/live keys: //p' $STATS | grep -qx 0 && ok "debug kernel: every smbsign key freed after logoff and unload" ||
		fail "debug kernel: $(grep 'live keys' $STATS) after logoff and unload"
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	if [ -s /sys/kernel/debug/kmemleak ]; then
		fail "debug kernel: kmemleak: $(grep -c unreferenced /sys/kernel/debug/kmemleak) suspected leaks"
		head -40 /sys/kernel/debug/kmemleak
	else
		ok "debug kernel: kmemleak scan after the run is empty"
	fi
fi

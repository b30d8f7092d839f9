# Sourced by the guest payloads: what real users do on a signed cifs
# mount, each step checking its data, each workload under a watchdog that
# fails it (and says where it hung) instead of hanging the guest. Needs
# ok/fail, $STATS, both_counts and trouble_count (e2e.sh), /bin/lockwait,
# fio, setfattr/getfattr, flock.
#
#   workloads LABEL MOUNT_OPTS [SKIP...]   every workload on a fresh mount
#
# LABEL names the server and algorithm in the result lines; SKIP names
# workloads not to run (e.g. "restart" where the server cannot be
# restarted from here). Each workload prints one "E2E ok"/"E2E FAIL" line
# with what it moved and checked; a failure also records its name in
# /tmp/workload-failures for the caller's stock comparison.
W=/mnt/w
W2=/mnt/w2
W3=/mnt/w3
WL_TIMEOUT=${WL_TIMEOUT:-300}

# messages signed and verified, every algorithm together
wl_signed() {
	both_counts | awk '{ print $1 + $2 }'
}
wl_kmsg_bad() {
	dmesg | grep -cE 'WARNING:|BUG:|Oops|KASAN|UBSAN|kmemleak: [1-9]|circular locking|sleeping function'
}

# Run "$@" in the background under the watchdog. Returns its exit status,
# or 124 if it hung: killed, with all its processes; where it hung in
# /tmp/wl.hung, and in $WL_STUCK the pids SIGKILL did not end.
wl_watch() {
	local pid p t=0
	WL_STUCK=
	: > /tmp/wl.out
	"$@" > /tmp/wl.out 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null && [ $t -lt "$WL_TIMEOUT" ]; do
		sleep 1
		t=$((t + 1))
	done
	if kill -0 $pid 2>/dev/null; then
		echo "hung after ${t}s: $(wl_hang_report $pid)" > /tmp/wl.hung
		# all of it: cifs waits for a response killably, and a process
		# left waiting keeps its mount busy for the workloads after it
		wl_tree $pid
		kill -9 $WL_TREE 2>/dev/null
		t=0
		while [ $t -lt 10 ]; do
			WL_STUCK=$(for p in $WL_TREE; do kill -0 $p 2>/dev/null && echo $p; done)
			[ -n "$WL_STUCK" ] || break
			sleep 1
			t=$((t + 1))
		done
		WL_STUCK=$(echo $WL_STUCK)
		return 124
	fi
	wait $pid
}

# Process $1 and its descendants: their pids in $WL_TREE, those of them
# that are a parent in $WL_PARENTS (both space-separated, space-framed)
wl_tree() {
	local more=1 s p pp _
	WL_TREE=" $1 " WL_PARENTS=" "
	while [ $more = 1 ]; do
		more=0
		for s in /proc/[0-9]*/stat; do
			read -r p _ _ pp _ < "$s" 2>/dev/null || continue
			case "$WL_TREE" in *" $pp "*) ;; *) continue ;; esac
			case "$WL_PARENTS" in *" $pp "*) ;; *) WL_PARENTS="$WL_PARENTS$pp " ;; esac
			case "$WL_TREE" in *" $p "*) ;; *) WL_TREE="$WL_TREE$p "; more=1 ;; esac
		done
	done
}

# The innermost six functions of task $1's kernel stack, "f < caller < ..."
wl_stack() {
	sed -n 's/^\[<[0-9a-f]*>\] \([^+]*\)+.*/\1/p' /proc/$1/stack 2>/dev/null |
		head -6 | paste -sd '<' | sed 's/</ < /g'
}

# Where workload $1 hangs: each of its processes that has no child of its
# own (the shell waiting for one says nothing), as "command [pid] state
# in function < caller < ..." from its kernel stack.
wl_hang_report() {
	local p state stack
	wl_tree "$1"
	for p in $WL_TREE; do
		case "$WL_PARENTS" in *" $p "*) continue ;; esac
		state=$(sed -n 's/^State:\t\(.\).*/\1/p' /proc/$p/status 2>/dev/null)
		[ "$state" != Z ] || continue	# exited, not yet waited for
		printf '%s [%s] %s in %s; ' \
			"$(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-60)" "$p" "$state" \
			"$(wl_stack $p)"
	done
	# the other side: byte-range locks the server's file system holds or
	# waits for, and kernel tasks inside cifs or ksmbd other than the
	# connection threads waiting for input
	printf 'POSIX locks: %s; ' "$(grep -c POSIX /proc/locks)"
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		stack=$(wl_stack $p)
		case "$stack" in *sk_wait_data*|*ksmbd_kthread_fn*) continue ;; esac
		case "$stack" in *ksmbd*|*smb2_*|*cifs*|*posix_lock*)
			printf '%s in %s; ' "$(cat /proc/$p/comm)" "$stack" ;;
		esac
	done
}

# cifs and ksmbd swapped for the stock 6.12 modules ($1 stock) or back
# ($1 patched), and the workload share mounted again (from
# $WL_STOCK_ADDR on the stock modules if set: the stock cifs cannot mount
# a server that signs AES-GMAC only)
wl_swap() {
	local addr=$WL_ADDR
	umount $W2 2>/dev/null
	umount $W3 2>/dev/null
	umount $W 2>/dev/null || umount -l $W 2>/dev/null
	swap_module cifs "$1" || return 1
	[ "$1" = stock ] && addr=${WL_STOCK_ADDR:-$WL_ADDR}
	restart_ksmbd "$1" || return 1
	WL_ADDR=$addr wl_mount $W "$WL_OPTS" || { echo "mount on the $1 modules failed"; return 1; }
}

# $1 label, $2 workload: run it; on failure run it again on the stock
# 6.12 modules: what fails there at the same step is upstream behaviour,
# reported as such and not counted against smbsign.
wl_run() {
	local label=$1 name=$2 rc t0 k0 s0 why start mine theirs
	t0=$(trouble_count) k0=$(wl_kmsg_bad) s0=$(wl_signed) start=$(date +%s)
	# what an earlier (failed) run left
	umount $W2 2>/dev/null
	umount $W3 2>/dev/null
	wl_clean
	if ! grep -q " $W cifs " /proc/mounts && ! wl_mount $W "$WL_OPTS"; then
		fail "$label $name: the share is not mounted and does not mount"
		return
	fi
	wl_watch wl_$name
	rc=$?
	if [ $rc = 0 ] && [ "$(trouble_count)" = "$t0" ] && [ "$(wl_kmsg_bad)" = "$k0" ] &&
	   [ "$(wl_signed)" -gt "$s0" ]; then
		ok "$label $name: $(tail -1 /tmp/wl.out), $(( $(wl_signed) - s0 )) messages signed or verified, no smbsign failure ($(( $(date +%s) - start ))s)"
		return
	fi
	why="smbsign failures +$(( $(trouble_count) - t0 )), kernel warnings +$(( $(wl_kmsg_bad) - k0 )), signed +$(( $(wl_signed) - s0 ))"
	if [ $rc = 124 ]; then
		mine=hung
		why="$(cat /tmp/wl.hung) $why"
		if [ -n "$WL_STUCK" ]; then
			# a task stuck in the kernel keeps its mount busy
			fail "$label $name: $why; $WL_STUCK still there after SIGKILL, no stock comparison"
			return
		fi
	else
		mine=$(tail -1 /tmp/wl.out)
		why="exit $rc, $why: $(tail -c 240 /tmp/wl.out | tr '\n' ' ')"
	fi
	if [ $rc = 0 ]; then
		fail "$label $name: $why"
		return
	fi
	if ! wl_swap stock > /tmp/swap.out 2>&1; then
		fail "$label $name: $why (no stock comparison: $(tail -1 /tmp/swap.out))"
		wl_swap patched > /dev/null 2>&1
		return
	fi
	wl_clean
	WL_ADDR=${WL_STOCK_ADDR:-$WL_ADDR} wl_watch wl_$name
	rc=$?
	theirs=$(tail -1 /tmp/wl.out)
	[ $rc != 124 ] || theirs=hung
	wl_swap patched > /tmp/swap.out 2>&1 || fail "back on the patched modules: $(tail -1 /tmp/swap.out)"
	if [ $rc = 0 ]; then
		fail "$label $name: $why (passes on the stock 6.12 modules)"
	elif [ "$theirs" = hung ] && [ "$mine" = hung ]; then
		ok "$label $name: upstream behaviour, hangs on the stock 6.12 cifs and ksmbd too ($why; stock: $(cat /tmp/wl.hung))"
	elif [ "$theirs" = "$mine" ]; then
		ok "$label $name: upstream behaviour, fails at the same step on the stock 6.12 cifs and ksmbd ($why)"
	else
		fail "$label $name: $why (the stock 6.12 modules fail elsewhere: $theirs)"
	fi
}

# what an earlier (failed) run left on the share; a file left read-only
# (setattr) is made writable first
wl_clean() {
	chmod -R u+w $W/attrs $W/names 2>/dev/null
	rm -rf $W/names $W/attrs $W/target $W/sym $W/hard $W/share2w $W/locked $W/verify.* 2>/dev/null
}

# A workload step: run "$@"; if it fails, say which step (the workload's
# last line of output) with the command's error, and fail
step() {
	local what=$1
	shift
	"$@" 2>/tmp/step.err && return 0
	echo "$what failed$( [ -s /tmp/step.err ] && echo ": $(head -c 160 /tmp/step.err | tr '\n' ' ')")"
	return 1
}

wl_mount() {	# $1 mount point, $2 options
	mkdir -p "$1"
	mount -t cifs "//$WL_ADDR/share" "$1" \
		-o "ip=$WL_ADDR,unc=//$WL_ADDR/share,username=$WL_USER,password=$WL_PASS,$2"
}

# names of every length 1..64: directories and files created, renamed,
# removed (cifs sends these as padded compounds)
wl_names() {
	local n=1 name d=$W/names
	step "mkdir names" mkdir $d || return 1
	while [ $n -le 64 ]; do
		name=$(head -c $n /dev/zero | tr '\0' 'n')
		step "mkdir of a $n-character name" mkdir "$d/$name" &&
		step "rename of a $n-character directory" mv "$d/$name" "$d/r$name" &&
		step "rmdir of a $n-character name" rmdir "$d/r$name" &&
		step "create of a $n-character name" sh -c "echo $n > '$d/f$name'" &&
		step "rename of a $n-character file" mv "$d/f$name" "$d/g$name" &&
		step "read back of a $n-character file" [ "$(cat "$d/g$name")" = "$n" ] &&
		step "unlink of a $n-character name" rm "$d/g$name" || return 1
		n=$((n + 1))
	done
	step "the directory empty afterwards" [ -z "$(ls -A $d)" ] &&
	step "rmdir names" rmdir $d &&
	echo "128 names of 1..64 characters created, renamed, removed"
}

# chmod, utimes, truncate, fallocate, each read back through a fresh mount
wl_setattr() {
	local f=$W/attrs
	step "create" sh -c "echo data > $f" &&
	step "chmod 444" chmod 444 $f && step "chmod 644" chmod 644 $f &&
	step "truncate to 12345" truncate -s 12345 $f &&
	step "fallocate to 1 MiB" fallocate -l 1048576 $f &&
	step "utimes" touch -d '2001-02-03 04:05:06' $f || return 1
	step "remount" umount $W && step "remount" wl_mount $W "$WL_OPTS" || return 1
	step "size read back" [ "$(stat -c %s $f)" = 1048576 ] &&
	step "data read back" [ "$(head -c 4 $f)" = data ] &&
	step "mtime read back" [ "$(stat -c %Y $f)" = "$(date -d '2001-02-03 04:05:06' +%s)" ] &&
	step "mode read back writable" sh -c "stat -c %A $f | grep -q w" &&
	step "chmod 444 again" chmod 444 $f &&
	step "mode read back read-only" sh -c "! stat -c %A $f | grep -q w" &&
	step "chmod 644 again" chmod 644 $f && step "unlink" rm $f &&
	echo "chmod, utimes, truncate to 12345, fallocate to 1 MiB: all read back"
}

# symbolic and hard links, xattrs
wl_links() {
	local f=$W/target
	step "create" sh -c "echo linked > $f" &&
	step "symlink" ln -s target $W/sym && step "hard link" ln $f $W/hard &&
	step "readlink" [ "$(readlink $W/sym)" = target ] &&
	step "read through the symlink" [ "$(cat $W/sym)" = linked ] &&
	step "read through the hard link" [ "$(cat $W/hard)" = linked ] &&
	step "link count 2" [ "$(stat -c %h $f)" = 2 ] &&
	step "setfattr user.smbsign" setfattr -n user.smbsign -v "$WL_LABEL" $f &&
	step "getfattr user.smbsign" [ "$(getfattr --only-values -n user.smbsign $f)" = "$WL_LABEL" ] &&
	step "unlink" rm $W/sym $W/hard $f &&
	echo "symlink, hard link (2 links), user xattr written and read back"
}

# a directory of 5000 entries, listed and removed. Where the share is a
# local directory ($WL_SERVER_DIR: this guest's ksmbd) or the host made
# them beforehand (tools/e2e_host.py, for its smbd), the entries are made
# on the server side: creating 5000 files over SMB costs minutes under
# TCG and the names workload already creates over SMB.
wl_bigdir() {
	local d=$W2/big how="made on the server"
	if [ -n "$WL_SERVER_DIR" ] && [ ! -d "$WL_SERVER_DIR/big" ]; then
		mkdir "$WL_SERVER_DIR/big" && (cd "$WL_SERVER_DIR/big" && seq 1 5000 | xargs touch) &&
			chmod -R a+rwX "$WL_SERVER_DIR/big"
	fi
	# A mount of its own with the attribute cache on (actimeo=30, where the
	# others run actimeo=0): rm -rf then stats what the listing returned
	# instead of asking the server again for each of the 5000 entries,
	# which costs ~45 ms a round trip in this emulated guest.
	step "mount with the attribute cache" wl_mount $W2 "${WL_OPTS/actimeo=0/actimeo=30}" || return 1
	if [ ! -d $d ]; then
		how="created over SMB"
		step "mkdir" mkdir $d && step "5000 creates" sh -c "cd $d && seq 1 5000 | xargs touch" ||
			return 1
	fi
	step "a listing of 5000" [ "$(ls $d | wc -l)" = 5000 ] &&
	step "rm -rf" rm -rf $d && step "gone" [ ! -e $d ] &&
	umount $W2 &&
	echo "5000 entries ($how) listed and removed"
}

# fio random writes, verified (crc32c) by reading back, 512 B to 4 MiB
wl_fio() {
	fio --name=verify --directory=$W --rw=randwrite --bsrange=512-4m \
	    --size=${WL_FIO_SIZE:-24m} --ioengine=psync --verify=crc32c \
	    --verify_fatal=1 --do_verify=1 --randrepeat=0 --output-format=terse \
	    --minimal >/tmp/fio.out 2>&1 || { tail -5 /tmp/fio.out; return 1; }
	rm -f $W/verify.*
	echo "fio: ${WL_FIO_SIZE:-24m} random writes of 512 B..4 MiB, crc32c verified"
}

# two mounts over two connections (nosharesock) writing one file at once:
# leases and oplocks are broken; every writer's bytes must be there
wl_two_writers() {
	local f=share2w
	head -c 1048576 /dev/urandom > /tmp/a && head -c 1048576 /dev/urandom > /tmp/b
	step "create" sh -c ": > $W/$f" || return 1
	step "second mount" wl_mount $W2 "$WL_OPTS,nosharesock" || return 1
	dd if=/tmp/a of=$W/$f bs=64k conv=notrunc 2>/dev/null &
	dd if=/tmp/b of=$W2/$f bs=64k seek=16 conv=notrunc 2>/dev/null
	wait $!
	umount $W2
	step "remount" umount $W && step "remount" wl_mount $W "$WL_OPTS" || return 1
	step "the first writer's MiB" sh -c "head -c 1048576 $W/$f | cmp -s - /tmp/a" &&
	step "the second writer's MiB" sh -c "tail -c 1048576 $W/$f | cmp -s - /tmp/b" &&
	step "size 2 MiB" [ "$(stat -c %s $W/$f)" = 2097152 ] &&
	step "unlink" rm $W/$f &&
	echo "two connections wrote 1 MiB each into one file: both intact"
}

# A blocking byte-range lock that waits for another holder (interim
# STATUS_PENDING, then the final response), and one killed while it waits
# (cifs sends SMB2 CANCEL; the server answers the LOCK, never the
# CANCEL): the server still knows who holds the range. Two fresh mounts
# over two connections, with $WL_LOCK_OPTS: "nolease" against ksmbd,
# where a lease-requesting SMB 3.x client's lock is not enforced against
# another (upstream behaviour of the stock 6.12 modules, documented).
wl_locks() {
	local rc
	step "the holder's mount" wl_mount $W3 "$WL_OPTS$WL_LOCK_OPTS,nosharesock" || return 1
	step "the waiter's mount" wl_mount $W2 "$WL_OPTS$WL_LOCK_OPTS,nosharesock" ||
		{ umount $W3; return 1; }
	wl_locks_run
	rc=$?
	umount $W2
	umount $W3
	return $rc
}

wl_locks_run() {
	local f=locked pid wp t0 waited got n=0
	step "create" sh -c "echo lock > $W3/$f" || return 1
	wl_hold $W3/$f 4 || return 1
	t0=$(date +%s)
	got=$(lockwait wait $W2/$f 2>&1)
	waited=$(( $(date +%s) - t0 ))
	wait $pid
	if [ "$got" != got ] || [ $waited -lt 2 ]; then
		echo "the waiting lock: '$got' after ${waited}s, while held for 4s"
		return 1
	fi
	wl_hold $W3/$f 60 || return 1
	lockwait wait $W2/$f > /tmp/wait.out 2>&1 &
	wp=$!
	sleep 2
	if ! kill -0 $wp 2>/dev/null; then
		echo "the second waiting lock did not wait: $(cat /tmp/wait.out)"
		kill $pid
		return 1
	fi
	kill -9 $wp
	while kill -0 $wp 2>/dev/null && [ $n -lt 10 ]; do
		sleep 1
		n=$((n + 1))
	done
	if kill -0 $wp 2>/dev/null; then
		echo "the killed waiter still waits after 10s"
		kill $pid
		return 1
	fi
	got=$(lockwait try $W2/$f 2>&1)
	kill $pid
	wait $pid 2>/dev/null
	if [ "$got" != busy ]; then
		echo "after the cancel, the held range: '$got' (want busy)"
		return 1
	fi
	step "a lock once the holder has gone" lockwait try $W2/$f > /dev/null &&
	step "unlink" rm $W3/$f &&
	echo "a lock waited ${waited}s for its holder, then granted; a waiting lock killed (CANCEL), the range still held"
}

# The locks workload $3 times ($1 label, $2 mount options), each run on
# fresh mounts under the watchdog: one result line, with how many runs
# hung. A lost wake-up of a blocking lock is a race, so one run proves
# little either way (Documentation: "ksmbd lost the wake-up"). After a
# hang the watchdog has killed the waiter, whose CANCEL wakes ksmbd's
# worker, and the next run starts on new mounts.
wl_locks_repeat() {
	local label=$1 runs=$3 i=0 hung=0 failed=0 rc first=
	WL_OPTS=$2
	wl_defaults
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		umount -l $W2 $W3 2>/dev/null
		wl_watch wl_locks
		rc=$?
		[ $rc = 0 ] && continue
		if [ $rc = 124 ]; then
			hung=$((hung + 1))
			[ -n "$first" ] || first="run $i $(cat /tmp/wl.hung)"
		else
			failed=$((failed + 1))
			[ -n "$first" ] || first="run $i: $(tail -1 /tmp/wl.out)"
		fi
	done
	umount -l $W2 $W3 2>/dev/null
	if [ $hung = 0 ] && [ $failed = 0 ]; then
		ok "$label locks x$runs: every run's waiting lock granted once its holder let go, every cancelled one left the range held"
	else
		fail "$label locks x$runs: $hung hung, $failed failed otherwise; first: $first"
	fi
}

# Start a holder of $1's lock for $2 seconds (its pid in the caller's
# $pid) and wait (10 s at most) until it says it holds the lock. The
# output file is emptied before the holder starts: the background job's
# own redirection can come after the check has read the previous
# holder's "held", and the waiter would then not wait.
wl_hold() {
	local n=0
	: > /tmp/hold.out
	lockwait hold "$1" "$2" > /tmp/hold.out 2>&1 &
	pid=$!
	while [ $n -lt 10 ]; do
		grep -q '^held' /tmp/hold.out && return 0
		sleep 1
		n=$((n + 1))
	done
	echo "the holder never held its lock: $(cat /tmp/hold.out)"
	return 1
}

# the server restarted during a copy (ksmbd in this guest only): the copy
# completes or fails cleanly, and what was written is the source's
wl_restart() {
	local rc size pid
	head -c 16777216 /dev/urandom > /tmp/big
	cp /tmp/big $W/big 2>/tmp/cp.err &
	pid=$!
	sleep 2
	restart_ksmbd >/dev/null
	wait $pid
	rc=$?
	size=$(stat -c %s /srv/share/big 2>/dev/null || echo 0)
	if [ $rc = 0 ]; then
		step "the copy intact on the server" cmp -s /tmp/big /srv/share/big || return 1
		echo "server restarted mid-copy: copy completed, 16 MiB intact"
	else
		step "the $size bytes written are the source's" cmp -s -n "$size" /tmp/big /srv/share/big || return 1
		echo "server restarted mid-copy: copy failed cleanly, the $size bytes written are the source's"
	fi
	rm -f $W/big
}

# the guest's own ksmbd and its user, unless the caller names another
# server (the callers unset these between servers)
wl_defaults() {
	WL_ADDR=${WL_ADDR:-127.0.0.1} WL_USER=${WL_USER:-tester} WL_PASS=${WL_PASS:-secret}
}

# $1 label, $2 mount options, then workloads to skip
workloads() {
	local w
	WL_LABEL=$1 WL_OPTS=$2
	shift 2
	wl_defaults
	if ! wl_mount $W "$WL_OPTS"; then
		fail "$WL_LABEL: mount ($WL_OPTS)"
		return
	fi
	for w in names setattr links bigdir fio two_writers locks restart; do
		case " $* " in *" $w "*) continue ;; esac
		wl_run "$WL_LABEL" "$w" wl_$w
	done
	umount $W 2>/dev/null || umount -l $W
}

# SPDX-License-Identifier: GPL-2.0-only
"""What the host side of the end-to-end tests shares: result lines, the
Samba smbd peers, the guest (QEMU) and its control channel, smbclient.
No address other than 127.0.0.1 is ever used."""
import hashlib
import os
import socket
import subprocess
import time


LO = "127.0.0.1"
SMBD_PASS = "secret-smbd"
# guest address -> the algorithm its smbd forces (tools/guest/e2e.sh reads
# the same list from /etc/smbsign-peers)
SMBD_ALGS = [("10.0.2.100", "HMAC-SHA256"), ("10.0.2.101", "AES-128-CMAC"),
             ("10.0.2.102", "AES-128-GMAC")]


def ok(msg):
    print(f"E2E ok {msg}", flush=True)


def fail(msg):
    print(f"E2E FAIL {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind((LO, 0))
        return s.getsockname()[1]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def wait_port(port, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection((LO, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Smbd:
    """One Samba smbd on 127.0.0.1:port, signing mandatory, one algorithm."""

    def __init__(self, workdir, alg):
        # An unknown user becomes a guest session
        # (tools/guest/e2e-rules.sh: guest_refused); the users the other
        # tests log on as are known, so nothing else changes.
        guest = "bad user"
        self.port = free_port()
        self.dir = os.path.join(workdir, f"smbd-{self.port}")
        share = os.path.join(self.dir, "share")
        os.makedirs(share)
        os.chmod(share, 0o777)
        # the 5000 entries the guest's bigdir workload lists and removes
        # (tools/guest/workloads.sh): made here, as creating them over
        # SMB would take minutes under TCG
        big = os.path.join(share, "big")
        os.makedirs(big)
        for i in range(1, 5001):
            open(os.path.join(big, str(i)), "w").close()
        self.conf = os.path.join(self.dir, "smb.conf")
        d = self.dir
        with open(self.conf, "w") as f:
            f.write(f"""[global]
    server role = standalone server
    smb ports = {self.port}
    interfaces = {LO}
    bind interfaces only = yes
    server signing = mandatory
    server smb3 signing algorithms = {alg}
    server min protocol = SMB2_10
    passdb backend = tdbsam:{d}/passdb.tdb
    private dir = {d}/private
    lock directory = {d}/lock
    state directory = {d}/state
    cache directory = {d}/cache
    pid directory = {d}
    ncalrpc dir = {d}/ncalrpc
    log file = {d}/log.%m
    load printers = no
    disable spoolss = yes
    printcap name = /dev/null
    map to guest = {guest}
[share]
    path = {share}
    read only = no
[public]
    path = {share}
    read only = yes
    guest ok = yes
""")
        for sub in ("private", "lock", "state", "cache", "ncalrpc"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        subprocess.run(["smbpasswd", "-c", self.conf, "-s", "-a", "root"],
                       input=f"{SMBD_PASS}\n{SMBD_PASS}\n", text=True,
                       check=True, capture_output=True)
        self.log = open(os.path.join(d, "smbd.out"), "w")
        # Its own session: smbd signals its process group when it stops.
        # In the foreground it runs until its stdin closes: a pipe we hold.
        self.proc = subprocess.Popen(
            ["smbd", "-F", "--no-process-group", "-s", self.conf, "-d", "1"],
            stdin=subprocess.PIPE, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def stop(self):
        self.proc.stdin.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Guest:
    """The test guest under QEMU (TCG), reachable only through 127.0.0.1:
    ksmbd (guest port 445) and the control channel (9000) forwarded from
    @ports["ksmbd"] and @ports["ctl"]; @guestfwd maps guest addresses to
    host ports on 127.0.0.1. @append adds to the kernel command line.
    @kernel is a kernel image in place of @kdir's bzImage, @qemu_args the
    machine in place of the test kernels' (SMBSIGN_QEMU_ARGS)."""

    def __init__(self, kdir, initrd, log, ports, guestfwd=(), append="", mem=1024,
                 kernel=None, qemu_args=None):
        self.ctl_port = ports["ctl"]
        net = (f"user,id=n0,restrict=on,"
               f"hostfwd=tcp:{LO}:{ports['ksmbd']}-:445,"
               f"hostfwd=tcp:{LO}:{ports['ctl']}-:9000")
        for addr, port in guestfwd:
            net += f",guestfwd=tcp:{addr}:445-cmd:nc {LO} {port}"
        self.log = log
        # the machine and the kernel arguments every guest gets (tools/lib.sh)
        cmd = (["qemu-system-x86_64"] + (qemu_args or os.environ["SMBSIGN_QEMU_ARGS"]).split() +
               ["-m", str(mem), "-kernel", kernel or os.path.join(kdir, "arch/x86/boot/bzImage"),
                "-initrd", initrd,
                "-append", f"{os.environ['SMBSIGN_KERNEL_ARGS']} {append}".strip(),
                "-serial", f"file:{self.log}",
                "-netdev", net, "-device", "virtio-net-device,netdev=n0"])
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)

    def wait_for(self, marker, timeout):
        end = time.time() + timeout
        while time.time() < end and self.proc.poll() is None:
            try:
                with open(self.log, errors="replace") as f:
                    if marker in f.read():
                        return True
            except FileNotFoundError:
                pass
            time.sleep(0.5)
        return False

    def ctl(self, line, timeout=120):
        with socket.create_connection((LO, self.ctl_port), timeout=timeout) as s:
            s.sendall((line + "\n").encode())
            out = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        return out.decode(errors="replace")

    def stat(self, alg):
        """Every counter of one algorithm in the guest, by column name."""
        lines = self.ctl("stats").splitlines()
        names = lines[0].split() if lines else []
        for line in lines[1:]:
            f = line.split()
            if f and f[0] == alg:
                return {n: int(v) for n, v in zip(names[2:], f[2:])}
        return {}

    def counters(self, alg):
        """signed, verified, verify_failed of one algorithm in the guest."""
        s = self.stat(alg)
        return s.get("signed", 0), s.get("verified", 0), s.get("verify_failed", 0)


def delta(guest, alg, before):
    after = guest.counters(alg)
    return tuple(a - b for a, b in zip(after, before))


def smbclient(port, commands, dialect, alg=None, cwd=None):
    cmd = ["smbclient", f"//{LO}/share", "-p", str(port), "-U", "tester%secret",
           "-m", dialect, "--option=client signing=required",
           "--option=client min protocol=SMB2_10", "-c", commands]
    if alg:
        cmd.append(f"--option=client smb3 signing algorithms={alg}")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=cwd)



#!/usr/bin/python3
"""Host side of the end-to-end tests: real peers against the guest.

Starts one Samba smbd per forced signing algorithm on 127.0.0.1, two
tampering proxies on 127.0.0.1, and the guest (QEMU user networking with
restrict=on; hostfwd binds 127.0.0.1; the guest reaches the host only
through guestfwd to 127.0.0.1). When the guest is READY it runs
smbclient and impacket against the guest's ksmbd, the tamper cases, and
collects the guest's smbsign statistics through a control channel.

Prints "E2E ok ..." / "E2E FAIL ..." lines of its own; the caller counts
them together with the guest's. No address other than 127.0.0.1 is used.
"""
import argparse
import hashlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

LO = "127.0.0.1"
SMBD_PASS = "secret-smbd"
# guest address -> the algorithm its smbd forces (tools/guest/e2e.sh reads
# the same list from /etc/smbsign-peers)
SMBD_ALGS = [("10.0.2.100", "HMAC-SHA256"), ("10.0.2.101", "AES-128-CMAC"),
             ("10.0.2.102", "AES-128-GMAC")]
SMB2_READ, SMB2_WRITE = 0x0008, 0x0009
FLAG_RESPONSE, FLAG_SIGNED = 0x1, 0x8


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
        self.port = free_port()
        self.dir = os.path.join(workdir, f"smbd-{self.port}")
        share = os.path.join(self.dir, "share")
        os.makedirs(share)
        os.chmod(share, 0o777)
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
    map to guest = never
[share]
    path = {share}
    read only = no
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


class TamperProxy:
    """127.0.0.1 proxy to ksmbd that flips one byte of the first signed
    SMB2 PDU matching (command, response?) in the chosen direction."""

    def __init__(self, target, command, response):
        self.target, self.command, self.response = target, command, response
        self.port = free_port()
        self.tampered = None    # (SessionId, MessageId) once done
        self.seen = []          # (direction, command, flags) of the first PDUs
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((LO, self.port))
        self.sock.listen(8)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                server = socket.create_connection((LO, self.target))
            except OSError:
                client.close()
                continue
            threading.Thread(target=self.pump, args=(client, server, False),
                             daemon=True).start()
            threading.Thread(target=self.pump, args=(server, client, True),
                             daemon=True).start()

    @staticmethod
    def recv_exact(s, n):
        buf = b""
        while len(buf) < n:
            chunk = s.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def pump(self, src, dst, from_server):
        try:
            while True:
                hdr = self.recv_exact(src, 4)
                body = bytearray(self.recv_exact(src, struct.unpack(">I", hdr)[0] & 0xffffff))
                if len(self.seen) < 40:
                    self.seen.append(("<" if from_server else ">", bytes(body[:4]),
                                      body[12] if len(body) > 16 else -1,
                                      body[16] if len(body) > 16 else -1, len(body)))
                if (from_server == self.response and self.tampered is None and
                        len(body) > 64 + 32 and body[:4] == b"\xfeSMB"):
                    cmd = struct.unpack_from("<H", body, 12)[0]
                    flags = struct.unpack_from("<I", body, 16)[0]
                    status = struct.unpack_from("<I", body, 8)[0]
                    if (cmd == self.command and flags & FLAG_SIGNED and
                            bool(flags & FLAG_RESPONSE) == self.response and status == 0):
                        body[-1] ^= 0x01    # one bit of the payload
                        self.tampered = (struct.unpack_from("<Q", body, 40)[0],
                                         struct.unpack_from("<Q", body, 24)[0])
                dst.sendall(hdr + bytes(body))
        except (OSError, EOFError):
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class Guest:
    def __init__(self, args, ports):
        self.ctl_port = ports["ctl"]
        net = (f"user,id=n0,restrict=on,"
               f"hostfwd=tcp:{LO}:{ports['ksmbd']}-:445,"
               f"hostfwd=tcp:{LO}:{ports['ctl']}-:9000")
        for (addr, _), port in zip(SMBD_ALGS, ports["smbd"]):
            net += f",guestfwd=tcp:{addr}:445-cmd:nc {LO} {port}"
        net += f",guestfwd=tcp:10.0.2.110:445-cmd:nc {LO} {ports['read_proxy']}"
        self.log = args.log
        cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-smp", "2",
               "-m", "1024", "-kernel", os.path.join(args.kdir, "arch/x86/boot/bzImage"),
               "-initrd", args.initrd, "-append", "console=ttyS0 quiet panic=-1",
               "-display", "none", "-serial", f"file:{self.log}", "-monitor", "none",
               "-no-reboot", "-netdev", net, "-device", "e1000,netdev=n0"]
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

    def counters(self, alg):
        """signed, verified, verify_failed of one algorithm in the guest."""
        for line in self.ctl("stats").splitlines():
            f = line.split()
            if f and f[0] == alg:
                return int(f[2]), int(f[4]), int(f[6])
        return 0, 0, 0


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


def smbclient_cells(guest, port, work, src):
    cells = [("SMB2_10", None, "hmac-sha256"), ("SMB3_11", "HMAC-SHA256", "hmac-sha256"),
             ("SMB3_11", "AES-128-CMAC", "aes-cmac"), ("SMB3_11", "AES-128-GMAC", "aes-gmac")]
    for dialect, alg, want in cells:
        name = f"smbclient->ksmbd {dialect} {alg or 'default'} {want}"
        remote = f"smbclient-{dialect}-{want}"
        before = guest.counters(want)
        r = smbclient(port, f"put src {remote}; get {remote} back", dialect, alg, cwd=work)
        d = delta(guest, want, before)
        back = os.path.join(work, "back")
        same = os.path.exists(back) and sha256(open(back, "rb").read()) == sha256(src)
        server_same = guest.ctl(f"sha {remote}").strip() == sha256(src)
        if r.returncode == 0 and same and server_same and d[0] > 0 and d[1] > 0 and d[2] == 0:
            ok(f"{name}: 4 MiB both ways, checksums match; {want} signed +{d[0]} verified +{d[1]} failed +{d[2]}")
        else:
            fail(f"{name}: rc {r.returncode} same {same}/{server_same} delta {d} {r.stderr.strip()[-200:]}")
        if os.path.exists(back):
            os.unlink(back)


IMPACKET = r"""
import sys
from impacket.smbconnection import SMBConnection
from impacket.smb3structs import SMB2_DIALECT_21, SMB2_DIALECT_30
port, dialect, remote, src, back = sys.argv[1:6]
conn = SMBConnection("127.0.0.1", "127.0.0.1", sess_port=int(port),
                     preferredDialect={"2.1": SMB2_DIALECT_21, "3.0": SMB2_DIALECT_30}[dialect])
conn.login("tester", "secret")
if not conn._SMBConnection._Session["SigningRequired"]:
    sys.exit("impacket did not turn signing on")
with open(src, "rb") as f:
    conn.putFile("share", remote, f.read)
with open(back, "wb") as f:
    conn.getFile("share", remote, f.write)
conn.logoff()
"""


def impacket_cells(guest, port, work, src):
    # impacket signs when the server requires it
    guest.ctl("param server_require_signing Y")
    script = os.path.join(work, "impacket_rt.py")
    with open(script, "w") as f:
        f.write(IMPACKET)
    for dialect, want in (("2.1", "hmac-sha256"), ("3.0", "aes-cmac")):
        name = f"impacket->ksmbd SMB {dialect} {want}"
        remote = f"impacket-{dialect}"
        back = os.path.join(work, "back")
        before = guest.counters(want)
        r = subprocess.run(["/usr/bin/python3", script, str(port), dialect, remote,
                            os.path.join(work, "src"), back],
                           capture_output=True, text=True, timeout=300)
        d = delta(guest, want, before)
        same = os.path.exists(back) and sha256(open(back, "rb").read()) == sha256(src)
        if r.returncode == 0 and same and d[0] > 0 and d[1] > 0 and d[2] == 0:
            ok(f"{name}: 4 MiB both ways, checksums match; {want} signed +{d[0]} verified +{d[1]} failed +{d[2]}")
        else:
            fail(f"{name}: rc {r.returncode} same {same} delta {d} {r.stderr.strip()[-300:]}")
    guest.ctl("param server_require_signing N")


IMPACKET_WRITE = r"""
import sys
from impacket.smbconnection import SMBConnection
from impacket.smb3structs import SMB2_DIALECT_21, FILE_WRITE_DATA, FILE_OPEN
port, remote = sys.argv[1:3]
# SMB 2.1: impacket encrypts SMB 3 sessions whenever the server can, and
# an encrypted message carries no SMB2 signature to tamper with
conn = SMBConnection("127.0.0.1", "127.0.0.1", sess_port=int(port),
                     preferredDialect=SMB2_DIALECT_21)
conn.login("tester", "secret")
tid = conn.connectTree("share")
# open the existing file as it is (no truncation) and overwrite 4 KiB
fid = conn.openFile(tid, remote, desiredAccess=FILE_WRITE_DATA,
                    creationDisposition=FILE_OPEN)
conn.writeFile(tid, fid, b"tampered?" * 455, 1024)
conn.closeFile(tid, fid)
"""


def tamper_write(guest, proxy, work):
    """A signed WRITE from impacket with one byte flipped on the way."""
    name = "tamper: one byte of a signed WRITE request (impacket SMB 2.1 -> proxy -> ksmbd)"
    guest.ctl("param server_require_signing Y")
    seeded = guest.ctl("seed victim-w 64").strip()
    script = os.path.join(work, "impacket_write.py")
    with open(script, "w") as f:
        f.write(IMPACKET_WRITE)
    before = guest.counters("hmac-sha256")
    r = subprocess.run(["/usr/bin/python3", script, str(proxy.port), "victim-w"],
                       capture_output=True, text=True, timeout=120)
    d = delta(guest, "hmac-sha256", before)
    now = guest.ctl("sha victim-w").strip()
    log = guest.ctl("kmsg bad.signature")
    guest.ctl("param server_require_signing N")
    sid, mid = proxy.tampered or (None, None)
    named = mid is not None and f"message id {mid}" in log
    if proxy.tampered and r.returncode != 0 and now == seeded and d[2] >= 1 and named:
        ok(f"{name}: rejected (STATUS_ACCESS_DENIED), file unchanged, hmac-sha256 "
           f"verify_failed +{d[2]}, logged session {sid} message id {mid}")
    else:
        fail(f"{name}: tampered {proxy.tampered} rc {r.returncode} unchanged {now == seeded} "
             f"delta {d} log {log.strip()[-200:]!r} {r.stderr.strip()[-200:]} seen {proxy.seen}")


def tamper_read(guest, proxy):
    """The guest's cifs reads through a proxy that flips a READ byte."""
    name = "tamper: one byte of a signed READ response (ksmbd -> proxy -> guest cifs)"
    seeded = guest.ctl("seed victim-r 256").strip()
    before = guest.counters("aes-gmac")
    out = guest.ctl("readvia victim-r", timeout=200)
    d = delta(guest, "aes-gmac", before)
    now = guest.ctl("sha victim-r").strip()
    log = guest.ctl("kmsg bad.signature")
    sid, mid = proxy.tampered or (None, None)
    named = mid is not None and f"message id {mid}" in log
    if proxy.tampered and out.startswith("read-failed") and now == seeded and d[2] >= 1 and named:
        ok(f"{name}: read failed, file unchanged, aes-gmac verify_failed +{d[2]}, "
           f"logged session 0x{sid:x} message id {mid}")
    else:
        fail(f"{name}: tampered {proxy.tampered} guest said {out.strip()[:120]!r} "
             f"unchanged {now == seeded} delta {d} log {log.strip()[-200:]!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kdir", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=int, default=1200)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="smbsign-e2e-")
    src = os.urandom(4 << 20)
    with open(os.path.join(work, "src"), "wb") as f:
        f.write(src)
    ports = {"ksmbd": free_port(), "ctl": free_port()}
    smbds = [Smbd(work, alg) for _, alg in SMBD_ALGS]
    ports["smbd"] = [s.port for s in smbds]
    for s in smbds:
        if not wait_port(s.port):
            fail(f"Samba smbd did not start on port {s.port}; see {s.dir}")
    write_proxy = TamperProxy(ports["ksmbd"], SMB2_WRITE, response=False)
    read_proxy = TamperProxy(ports["ksmbd"], SMB2_READ, response=True)
    ports["read_proxy"] = read_proxy.port
    guest = Guest(args, ports)
    try:
        if not guest.wait_for("E2E-READY", args.timeout):
            fail("the guest never got ready for the host peers")
            return
        smbclient_cells(guest, ports["ksmbd"], work, src)
        impacket_cells(guest, ports["ksmbd"], work, src)
        tamper_write(guest, write_proxy, work)
        tamper_read(guest, read_proxy)
        guest.ctl("done")
        guest.proc.wait(timeout=300)
    finally:
        if guest.proc.poll() is None:
            guest.proc.kill()
        for s in smbds:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host side of the end-to-end tests: real peers against the guest.

Starts one Samba smbd per forced signing algorithm on 127.0.0.1, the
tampering and replaying proxies on 127.0.0.1, and the guest (QEMU user
networking with restrict=on; hostfwd binds 127.0.0.1; the guest reaches
the host only through guestfwd to 127.0.0.1). When the guest is READY it
runs smbclient and impacket against the guest's ksmbd, the tamper and
replay cases and the signing-rule cases (e2e_rules.py), and collects the
guest's smbsign statistics through a control channel.

Prints "E2E ok ..." / "E2E FAIL ..." lines of its own; the caller counts
them together with the guest's. No address other than 127.0.0.1 is used.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import e2e_rules
from e2e_lib import (LO, SMBD_ALGS, Guest, Smbd, delta, fail, free_port, ok,
                     sha256, smbclient, wait_port)
from smbproxy import CMD, Proxy, TamperOnce

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
        if dialect == "3.0" and d[1] == 0:
            # impacket encrypts an SMB 3 session whenever the server offers
            # it (the 6.12 ksmbd here does; the 7.2 one with Debian 13's
            # ksmbd-tools does not, and then it is signed as 2.1 is):
            # after decryption no signature is checked (MS-SMB2 3.3.5.2.4)
            # and the encrypted responses are not signed. Signing is
            # required, so an unencrypted unsigned request would have been
            # refused: everything arrived encrypted. Only the SESSION_SETUP
            # response, sent before encryption starts, is signed.
            good = d[0] >= 1 and d[2] == 0
            what = "encrypted by impacket: accepted without signatures, as MS-SMB2 3.3.5.2.4 says"
        else:
            good = d[0] > 0 and d[1] > 0 and d[2] == 0
            what = "signed"
        if r.returncode == 0 and same and good:
            ok(f"{name}: 4 MiB both ways, checksums match; {what}; {want} signed +{d[0]} verified +{d[1]} failed +{d[2]}")
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
    log = guest.ctl("kmsg bad.(smb2.)?signature")
    guest.ctl("param server_require_signing N")
    sid, mid = proxy.hook.done or (None, None)
    named = mid is not None and f"message id {mid}" in log
    if proxy.hook.done and r.returncode != 0 and now == seeded and d[2] >= 1 and named:
        ok(f"{name}: rejected (STATUS_ACCESS_DENIED), file unchanged, hmac-sha256 "
           f"verify_failed +{d[2]}, logged session {sid} message id {mid}")
    else:
        fail(f"{name}: tampered {proxy.hook.done} rc {r.returncode} unchanged {now == seeded} "
             f"delta {d} log {log.strip()[-200:]!r} {r.stderr.strip()[-200:]} seen {proxy.log[:20]}")


def tamper_read(guest, proxy):
    """The guest's cifs reads through a proxy that flips a READ byte."""
    name = "tamper: one byte of a signed READ response (ksmbd -> proxy -> guest cifs)"
    seeded = guest.ctl("seed victim-r 256").strip()
    before = guest.counters("aes-gmac")
    out = guest.ctl("readvia victim-r", timeout=200)
    d = delta(guest, "aes-gmac", before)
    now = guest.ctl("sha victim-r").strip()
    log = guest.ctl("kmsg bad.(smb2.)?signature")
    sid, mid = proxy.hook.done or (None, None)
    named = mid is not None and f"message id {mid}" in log
    if proxy.hook.done and out.startswith("read-failed") and now == seeded and d[2] >= 1 and named:
        ok(f"{name}: read failed, file unchanged, aes-gmac verify_failed +{d[2]}, "
           f"logged session 0x{sid:x} message id {mid}")
    else:
        fail(f"{name}: tampered {proxy.hook.done} guest said {out.strip()[:120]!r} "
             f"unchanged {now == seeded} delta {d} log {log.strip()[-200:]!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kdir", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=int, default=3600)
    ap.add_argument("--append", default="", help="more of the guest's kernel command line")
    ap.add_argument("--mem", type=int, default=1024, help="guest memory in MiB")
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
    write_proxy = Proxy(ports["ksmbd"], TamperOnce(CMD["WRITE"], response=False))
    read_proxy = Proxy(ports["ksmbd"], TamperOnce(CMD["READ"], response=True))
    ports["read_proxy"] = read_proxy.port
    fwd = [(addr, port) for (addr, _), port in zip(SMBD_ALGS, ports["smbd"])]
    fwd.append(("10.0.2.110", ports["read_proxy"]))
    guest = Guest(args.kdir, args.initrd, args.log, ports, fwd, args.append, args.mem)
    try:
        if "smbsign_e2e=workloads" in args.append or "smbsign_e2e=locks" in args.append:
            # the workloads need no host client: wait for the guest
            guest.proc.wait(timeout=args.timeout)
            return
        if not guest.wait_for("E2E-READY", args.timeout):
            fail("the guest never got ready for the host peers")
            return
        smbclient_cells(guest, ports["ksmbd"], work, src)
        impacket_cells(guest, ports["ksmbd"], work, src)
        tamper_write(guest, write_proxy, work)
        tamper_read(guest, read_proxy)
        e2e_rules.run(guest, ports, read_proxy, work,
                      upstream="smbsign_e2e=upstream" in args.append)
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

# SPDX-License-Identifier: GPL-2.0-only
"""End-to-end checks of the signing rules, each a case an attacker on the
wire or a misbehaving peer produces: a replayed request, a signature
stripped off a WRITE or a READ, a compound signed in part, a CANCEL or an
oplock break acknowledgment with a bad signature, a changed oplock break
acknowledgment response, an empty SIGNING_CAPABILITIES, a server choosing
an algorithm the client did not offer, "signloosely" under
client_require_signing. Every check failed
against the modules before the fix it covers (Documentation/smbsign.rst,
"Signing rules")."""
import os
import struct
import threading
import time

import smbraw
from e2e_lib import fail, ok, sha256, smbclient
from smbproxy import (CMD, FLAG_SIGNED, Proxy, TamperOnce, frame, pdus,
                      strip_signature)

FSCTL_QUERY_NETWORK_INTERFACE_INFO = 0x001401FC


class Replay:
    """Hook: remember the first signed request of @command; once its
    response has passed, send the same request to the server again."""

    def __init__(self, command):
        self.command = command
        self.saved = self.mid = None
        self.replayed_at = None

    def __call__(self, conn, direction, body):
        if direction == "c2s" and self.saved is None:
            first = next(pdus(body), None)
            if first and first.command == self.command and first.signed:
                self.saved, self.mid = bytes(body), first.mid
        elif direction == "s2c" and self.saved and self.replayed_at is None:
            if any(p.mid == self.mid and p.status != 0x103 for p in pdus(body)):
                conn.send("s2c", struct.pack(">I", len(body)) + bytes(body))
                conn.send("c2s", struct.pack(">I", len(self.saved)) + self.saved)
                self.replayed_at = time.time()
                return []
        return [body]


def replay(guest, target):
    """MS-SMB2 3.3.5.2.3: a replayed request ends the connection, and is not
    executed (or answered, or signed) twice: with AES-GMAC a second
    response under the first one's nonce would give away the key."""
    guest.ctl("param server_require_signing Y")
    for dialect, alg, want in (("SMB3_11", "AES-128-GMAC", "aes-gmac"),
                               ("SMB3_11", "AES-128-CMAC", "aes-cmac"),
                               ("SMB2_10", None, "hmac-sha256")):
        name = f"replay: a signed CREATE sent twice (smbclient {dialect} {want} -> proxy -> ksmbd)"
        hook = Replay(CMD["CREATE"])
        proxy = Proxy(target, hook)
        before = guest.stat(want)
        r = smbclient(proxy.port, "ls; ls; ls", dialect, alg)
        time.sleep(2)
        after = guest.stat(want)
        log = guest.ctl("kmsg sequence.window")
        conn = proxy.conns[0] if proxy.conns else None
        closed = conn and conn.server_eof and hook.replayed_at and \
            conn.server_eof - hook.replayed_at < 5
        answers = proxy.responses(hook.mid) if hook.mid is not None else -1
        refused = after.get("nonce_refused", 0) - before.get("nonce_refused", 0)
        proxy.stop()
        if hook.replayed_at and closed and answers == 1 and refused == 0 and \
                f"MessageId {hook.mid} " in log:
            ok(f"{name}: connection closed {conn.server_eof - hook.replayed_at:.1f}s after the "
               f"replay of MessageId {hook.mid}, one response to it, nothing signed twice")
        else:
            fail(f"{name}: replayed {hook.replayed_at is not None} mid {hook.mid} closed {closed} "
                 f"answers {answers} nonce_refused +{refused} log {log.strip()[-160:]!r} "
                 f"rc {r.returncode}")
    guest.ctl("param server_require_signing N")


def strip_write(guest, target, work, upstream=False):
    """A man in the middle clears SMB2_FLAGS_SIGNED on a WRITE of an SMB 3.1.1
    session that offered encryption but does not use it, zeroes the
    signature and changes the data: ksmbd must refuse it (and say so in
    the log, but for the 7.2 series, which keeps upstream's silent refusal)."""
    guest.ctl("param server_require_signing Y")
    src = os.path.join(work, "strip-src")
    with open(src, "wb") as f:
        f.write(os.urandom(3000))
    for alg, want in (("AES-128-GMAC", "aes-gmac"), ("AES-128-CMAC", "aes-cmac")):
        name = f"strip: a WRITE's signature removed, data changed (smbclient SMB3_11 {want}, encryption offered) -> ksmbd"
        hook = TamperOnce(CMD["WRITE"], response=False, change=strip_signature)
        proxy = Proxy(target, hook)
        r = smbclient(proxy.port, f"put {src} victim-s", "SMB3_11", alg)
        now = guest.ctl("sha victim-s").strip()
        log = guest.ctl("kmsg unsigned.request.refused")
        proxy.stop()
        mid = hook.done[1] if hook.done else None
        # the CREATE before it truncated the file; the WRITE never landed
        logged = f"message id {mid} " in log
        if hook.done and now == sha256(b"") and (logged or upstream):
            ok(f"{name}: refused, {f'logged message id {mid}' if logged else 'not logged (7.2)'}; "
               f"the file holds none of the changed data")
        else:
            fail(f"{name}: stripped {hook.done} file {now[:16]} rc {r.returncode} log {log.strip()[-120:]!r} "
                 f"{(r.stdout + r.stderr).strip()[-160:]!r}")
    guest.ctl("param server_require_signing N")


def via_guest_read(guest, proxy, hook, opts, file="victim-r"):
    """The guest's cifs reads @file through @proxy (guestfwd 10.0.2.110)."""
    proxy.hook = hook
    return guest.ctl(f"readvia {file} {opts}", timeout=200)


def strip_read(guest, proxy):
    """The same towards the client: a READ response of an SMB 3.1.1 session
    (cifs always offers encryption) with its signature removed and one byte
    changed: cifs must fail the read."""
    name = "strip: a READ response's signature removed, data changed (ksmbd -> proxy -> guest cifs 3.1.1)"
    seeded = guest.ctl("seed victim-r 256").strip()
    hook = TamperOnce(CMD["READ"], response=True, change=strip_signature)
    out = via_guest_read(guest, proxy, hook, "sign")
    if hook.done and out.startswith("read-failed") and guest.ctl("sha victim-r").strip() == seeded:
        ok(f"{name}: read failed, nothing of the changed data reached the reader")
    else:
        fail(f"{name}: stripped {hook.done} guest said {out.strip()[:160]!r}")


def signloosely(guest, proxy):
    """client_require_signing=Y: "signloosely" cannot turn verification off."""
    name = "signloosely under client_require_signing=Y: a changed READ response is still refused"
    guest.ctl("seed victim-r 256")
    guest.ctl("param client_require_signing Y")
    hook = TamperOnce(CMD["READ"], response=True)
    out = via_guest_read(guest, proxy, hook, "sign,signloosely")
    guest.ctl("param client_require_signing N")
    if hook.done and out.startswith("read-failed"):
        ok(f"{name}: read failed")
    else:
        fail(f"{name}: tampered {hook.done} guest said {out.strip()[:160]!r}")


def break_ack(guest, proxy):
    """A break acknowledgment's response carries a real MessageId and is
    verified like any response; only the break notification (MessageId all
    ones) is not (MS-SMB2 3.2.5.1.3). ksmbd here grants oplocks (no
    "smb2 leases"): cifs holds a batch oplock and acknowledges its break."""
    name = "oplock break: the acknowledgment's response changed (ksmbd -> proxy -> guest cifs 3.1.1)"
    guest.ctl("seed victim-b 4")
    # an oplock break acknowledgment's response has a 24-byte body
    hook = TamperOnce(CMD["OPLOCK_BREAK"], response=True, min_body=24)
    proxy.hook = hook
    out = guest.ctl("breakvia victim-b", timeout=200)
    mid = hook.done[1] if hook.done else None
    log = guest.ctl(f"kmsg message.id.{mid}.command.0x12")
    if hook.done and out.startswith("appended") and "bad signature" in log:
        ok(f"{name}: cifs refused the response to MessageId {mid}; the other mount's append landed")
    else:
        breaks = [(hex(flags), mid if mid != 2**64 - 1 else "notification", hex(status))
                  for _, d, ps in proxy.log if d == "s2c"
                  for cmd, mid, flags, status in ps if cmd == CMD["OPLOCK_BREAK"]]
        fail(f"{name}: tampered {hook.done} guest said {out.strip()[-120:]!r} "
             f"log {log.strip()[-160:]!r} breaks from the server {breaks[:4]}")


class OfferedNot:
    """Hook: the server's SIGNING_CAPABILITIES choice replaced by @alg."""

    def __init__(self, alg):
        self.alg, self.negotiates, self.done = alg, 0, False

    def __call__(self, conn, direction, body):
        p = next(pdus(body), None)
        if direction == "s2c" and p and p.command == CMD["NEGOTIATE"] and p.response:
            self.negotiates += 1
            off = struct.unpack_from("<I", body, 64 + 60)[0]
            for _ in range(struct.unpack_from("<H", body, 64 + 6)[0]):
                ctype, dlen = struct.unpack_from("<HH", body, off)
                if ctype == 8 and dlen >= 4:
                    struct.pack_into("<H", body, off + 10, self.alg)
                    self.done = True
                off += 8 + dlen
                off += -off % 8
        return [body]


def unoffered_algorithm(guest, proxy):
    """A server that picks a signing algorithm the client did not offer
    fails the negotiate: no silent fall-back to AES-CMAC, no reconnect loop."""
    name = "negotiate: the server picks HMAC-SHA256 the client did not offer (proxy -> guest cifs)"
    guest.ctl("param algorithms gmac,cmac")
    hook = OfferedNot(0)
    out = via_guest_read(guest, proxy, hook, "sign")
    time.sleep(3)
    log = guest.ctl("kmsg not.offered")
    guest.ctl("param algorithms gmac,cmac,hmac")
    if hook.done and "mount-failed" in out and "not offered" in log and hook.negotiates <= 12:
        ok(f"{name}: mount refused after {hook.negotiates} negotiates, logged {log.strip().splitlines()[-1][-70:]!r}")
    else:
        fail(f"{name}: rewritten {hook.done} guest said {out.strip()[:120]!r} "
             f"negotiates {hook.negotiates} log {log.strip()[-160:]!r}")


class HoldInterfaces:
    """Hook: hold the server's answer to FSCTL_QUERY_NETWORK_INTERFACE_INFO
    until release(): cifs opens its extra channels after it."""

    def __init__(self):
        self.held, self.conn = None, None
        self.seen = threading.Event()

    def __call__(self, conn, direction, body):
        if direction == "s2c" and self.held is None:
            p = next(pdus(body), None)
            if p and p.command == CMD["IOCTL"] and p.response and \
                    p.u32(64 + 4) == FSCTL_QUERY_NETWORK_INTERFACE_INFO:
                self.held, self.conn = bytes(body), conn
                self.seen.set()
                return []
        return [body]

    def release(self):
        if self.held is not None:
            self.conn.send("s2c", frame(self.held))


def mixed_binding(guest, proxy, upstream=False):
    """A channel that binds after the "algorithms" preference changed: its
    connection negotiates AES-CMAC while the session signs AES-GMAC. cifs
    signs the binding request with Session.SigningKey under the new
    connection's algorithm (MS-SMB2 3.1.4.1); ksmbd verifies it, then
    refuses it as Windows and Samba do (an AES-GMAC session gains no
    channel of another algorithm: STATUS_REQUEST_OUT_OF_SEQUENCE); the
    mount goes on with one channel. The 7.2 series' cifs offers AES-GMAC
    first whatever smbsign's "algorithms" says (patches/7.2 0015), so the
    mixed case is not reached there: the channel binds, and its messages
    must verify on both sides and the data read back intact."""
    name = "multichannel: a channel binding after algorithms changed (session AES-GMAC, channel AES-CMAC)"
    hook = HoldInterfaces()
    proxy.hook = hook
    guest.ctl("param algorithms gmac,cmac,hmac")
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", guest.ctl("mcvia mixed", timeout=240)))
    t.start()
    held = hook.seen.wait(120)
    guest.ctl("param algorithms cmac,gmac,hmac")
    hook.release()
    t.join(260)
    log = guest.ctl("kmsg binding.to.session")
    guest.ctl("param algorithms gmac,cmac,hmac")
    r = out.get("r", "")
    refused = "signs with aes-cmac, the session with aes-gmac" in log
    if held and refused and "bad signature" not in log and "mounted extra=0 read=mixed" in r:
        ok(f"{name}: the binding request verified under AES-CMAC, then was refused "
           f"(an AES-GMAC session gains no channel of another algorithm); "
           f"the mount went on with one channel")
    elif upstream and held and "signature" not in log and "mounted extra=1 read=mixed" in r:
        ok(f"{name}: not reached on 7.2 (its cifs offers AES-GMAC first whatever "
           f"smbsign's algorithms says): the channel bound, its messages verified on "
           f"both sides, the data read back intact")
    else:
        fail(f"{name}: held {held} guest said {r.strip()[-120:]!r} log {log.strip()[-200:]!r}")


def empty_signing_caps(guest, port):
    """MS-SMB2 2.2.3.1.7: SigningAlgorithmCount MUST be greater than zero."""
    name = "negotiate: SIGNING_CAPABILITIES with SigningAlgorithmCount 0 -> ksmbd"
    bad = smbraw.exchange(port, smbraw.negotiate_311([]))
    good = smbraw.exchange(port, smbraw.negotiate_311([2, 1]))
    bad_status = struct.unpack_from("<I", bad, 8)[0]
    good_status = struct.unpack_from("<I", good, 8)[0]
    chosen = smbraw.neg_contexts(good).get(8, b"")
    if bad_status == smbraw.STATUS_INVALID_PARAMETER and good_status == 0 and \
            chosen[:4] == struct.pack("<HH", 1, 2):
        ok(f"{name}: STATUS_INVALID_PARAMETER; with [GMAC, CMAC] it chose AES-GMAC")
    else:
        fail(f"{name}: status 0x{bad_status:x}, the good one 0x{good_status:x} chose {chosen.hex()}")


def smb1_upgrade(guest, port, upstream=False):
    """The SMB2 answer to a multi-protocol SMB_COM_NEGOTIATE says signing is
    required when smbsign's server_require_signing says so (on 7.2, where
    ksmbd.conf's "server signing = mandatory" says so, required both times)."""
    name = "negotiate: SMB1 multi-protocol NEGOTIATE, server_require_signing=Y -> SMB2 response"
    guest.ctl("param server_require_signing Y")
    on = smbraw.exchange(port, smbraw.smb1_negotiate())
    guest.ctl("param server_require_signing N")
    off = smbraw.exchange(port, smbraw.smb1_negotiate())
    mode = lambda r: struct.unpack_from("<H", r, 64 + 2)[0] if r[:4] == b"\xfeSMB" else -1
    if upstream:
        name = "negotiate: SMB1 multi-protocol NEGOTIATE, server signing = mandatory -> SMB2 response"
        off = on
    if mode(on) >= 0 and mode(on) & smbraw.NEG_SIGNING_REQUIRED and \
            (upstream or not mode(off) & smbraw.NEG_SIGNING_REQUIRED):
        ok(f"{name}: SecurityMode 0x{mode(on):x} (REQUIRED), 0x{mode(off):x} with the parameter off")
    else:
        fail(f"{name}: SecurityMode 0x{mode(on):x} / 0x{mode(off):x}")


def partly_signed_compound(guest, port):
    """Response n of a compound is signed when request n is, whatever
    request n + 1 is (a session that does not require signing)."""
    name = "compound: [signed, unsigned] and [unsigned, signed] QUERY_INFO -> ksmbd, unsigned session"
    guest.ctl("seed compound 1")
    s = smbraw.Session(port)
    try:
        fid = s.open("compound")
        got = []
        for signs in ((True, False), (False, True)):
            parts = [(smbraw.header(CMD["QUERY_INFO"], s.mid(), s.sid, s.tid),
                      smbraw.query_info(fid), s.key if sign else None) for sign in signs]
            s.send(smbraw.compound(parts))
            rsp = s.recv()
            got.append([(bool(struct.unpack_from("<I", r, 16)[0] & FLAG_SIGNED),
                         smbraw.hmac_verifies(s.key, r)) for r in (rsp or [])])
        want = [[(True, True), (False, False)], [(False, False), (True, True)]]
        if not s.signing and got == want:
            ok(f"{name}: each response signed exactly when its own request was, signatures verify")
        else:
            fail(f"{name}: session signing {s.signing}, got (signed, verifies) {got}, want {want}")
    finally:
        s.close()


def failed_compound_tail(guest, port):
    """A compound whose last request fails a check made before its handler
    (a bad signature on a session that requires signing): that request is
    answered STATUS_ACCESS_DENIED, the ones before it as usual, and the
    connection goes on (each MessageId consumed once, none checked twice)."""
    name = "compound: [QUERY_INFO, QUERY_INFO, QUERY_INFO with a bad signature] -> ksmbd"
    guest.ctl("param server_require_signing Y")
    guest.ctl("seed compound-tail 1")
    s = smbraw.Session(port)
    try:
        fid = s.open("compound-tail")
        parts = [(smbraw.header(CMD["QUERY_INFO"], s.mid(), s.sid, s.tid),
                  smbraw.query_info(fid), key) for key in (s.key, s.key, bytes(16))]
        s.send(smbraw.compound(parts))
        rsp = s.recv() or []
        statuses = [struct.unpack_from("<I", r, 8)[0] for r in rsp]
        # the connection is still there: a plain signed request is answered
        hdr = smbraw.header(CMD["QUERY_INFO"], s.mid(), s.sid, s.tid)
        pdu = hdr + smbraw.query_info(fid)
        smbraw.hmac_sign(s.key, pdu)
        s.send(pdu)
        after = s.recv()
        after_status = struct.unpack_from("<I", after[0], 8)[0] if after else None
        if statuses[-1:] == [smbraw.STATUS_ACCESS_DENIED] and after_status == 0:
            ok(f"{name}: statuses {', '.join(f'0x{x:x}' for x in statuses)}; "
               f"the connection goes on (next request: 0x{after_status:x})")
        else:
            fail(f"{name}: statuses {[hex(x) for x in statuses]}, next request "
                 f"{'no answer (connection gone)' if after_status is None else hex(after_status)}")
    finally:
        s.close()
        guest.ctl("param server_require_signing N")


def cancel_and_break(guest, port):
    """A CANCEL is never answered, even with a bad signature; an oplock break
    acknowledgment is verified like any request."""
    guest.ctl("param server_require_signing Y")
    s = smbraw.Session(port)
    try:
        name = "cancel: a CANCEL with a bad signature on a signed session -> ksmbd"
        hdr = smbraw.header(CMD["CANCEL"], s.smb._Connection["SequenceWindow"], s.sid, s.tid,
                            flags=FLAG_SIGNED, charge=0)
        hdr[48:64] = b"\x5a" * 16
        s.send(hdr + struct.pack("<HH", 4, 0))
        answer = s.recv(timeout=4)
        if answer is None:
            ok(f"{name}: no response")
        else:
            fail(f"{name}: answered: status 0x{struct.unpack_from('<I', answer[0], 8)[0]:x}")

        name = "oplock break: an acknowledgment with a bad signature -> ksmbd"
        status = {}
        for how in ("good", "bad"):
            hdr = smbraw.header(CMD["OPLOCK_BREAK"], s.mid(), s.sid, s.tid)
            pdu = hdr + smbraw.oplock_break_ack(bytes(16))
            smbraw.hmac_sign(s.key, pdu)
            if how == "bad":
                pdu[-1] ^= 1
            s.send(pdu)
            rsp = s.recv()
            status[how] = struct.unpack_from("<I", rsp[0], 8)[0] if rsp else None
        if status["bad"] == smbraw.STATUS_ACCESS_DENIED and \
                status["good"] not in (None, smbraw.STATUS_ACCESS_DENIED):
            ok(f"{name}: STATUS_ACCESS_DENIED; correctly signed it reaches the handler "
               f"(0x{status['good']:x}, no such open)")
        else:
            fail(f"{name}: statuses {status}")
    finally:
        s.close()
        guest.ctl("param server_require_signing N")


def run(guest, ports, guest_proxy, work, upstream=False):
    """Every rule check; @guest_proxy is the proxy behind guestfwd 10.0.2.110.

    @upstream: the 7.2 series, where cifs does not read smbsign's
    client_require_signing, so the signloosely check does not apply, and
    ksmbd runs with "server signing = mandatory" (what the
    server_require_signing=Y checks need), so there is no session without
    signing for the partly signed compound.
    """
    replay(guest, ports["ksmbd"])
    strip_write(guest, ports["ksmbd"], work, upstream)
    strip_read(guest, guest_proxy)
    if not upstream:
        signloosely(guest, guest_proxy)
    break_ack(guest, guest_proxy)
    unoffered_algorithm(guest, guest_proxy)
    mixed_binding(guest, guest_proxy, upstream)
    empty_signing_caps(guest, ports["ksmbd"])
    smb1_upgrade(guest, ports["ksmbd"], upstream)
    if not upstream:
        # (a session that does not require signing: none on 7.2 here)
        partly_signed_compound(guest, ports["ksmbd"])
    failed_compound_tail(guest, ports["ksmbd"])
    cancel_and_break(guest, ports["ksmbd"])

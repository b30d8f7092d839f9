# SPDX-License-Identifier: GPL-2.0-only
"""Hand-built SMB2 messages for the signing-rule tests: what no ordinary
client sends (a compound signed only in part, a CANCEL with a bad
signature, an empty SIGNING_CAPABILITIES, an SMB1 multi-protocol
NEGOTIATE). Authentication comes from impacket (SMB 2.1, so the signing
key is the session key and HMAC-SHA256 signs); only 127.0.0.1 is used."""
import hashlib
import hmac
import os
import socket
import struct

from smbproxy import CMD, HDR, LO, PROTO, Proxy, pdus

STATUS_INVALID_PARAMETER = 0xC000000D
STATUS_ACCESS_DENIED = 0xC0000022
NEG_SIGNING_REQUIRED = 0x2


def header(cmd, mid, sid=0, tid=0, flags=0, charge=1, credits=8, next_cmd=0):
    """A sync SMB2 request header, Signature zero."""
    return bytearray(struct.pack("<4sHHIHHIIQIIQ16s", PROTO, HDR, charge, 0, cmd,
                                 credits, flags, next_cmd, mid, 0, tid, sid,
                                 bytes(16)))


def hmac_sign(key, pdu):
    """SMB 2.x signing of one PDU in place: flag set, HMAC-SHA256 of it."""
    struct.pack_into("<I", pdu, 16, struct.unpack_from("<I", pdu, 16)[0] | 0x8)
    pdu[48:64] = bytes(16)
    pdu[48:64] = hmac.new(key, bytes(pdu), hashlib.sha256).digest()[:16]


def hmac_verifies(key, pdu):
    """Whether a PDU (bytes of exactly one PDU) carries a right HMAC."""
    p = bytearray(pdu)
    want = bytes(p[48:64])
    p[48:64] = bytes(16)
    return hmac.compare_digest(hmac.new(key, bytes(p), hashlib.sha256).digest()[:16], want)


def query_info(file_id):
    """QUERY_INFO body: FileStandardInformation of an open file."""
    return struct.pack("<HBBIHHIII16sB", 41, 1, 5, 24, 0, 0, 0, 0, 0, file_id, 0)


def oplock_break_ack(file_id):
    """OPLOCK_BREAK acknowledgment body (level none)."""
    return struct.pack("<HBBI16s", 24, 0, 0, 0, file_id)


def compound(parts):
    """[(header, body, sign_key or None)] chained with NextCommand, each PDU
    padded to 8 bytes but the last, then signed as asked."""
    pdus_ = []
    for i, (hdr, body, key) in enumerate(parts):
        pdu = bytearray(hdr) + body
        if i + 1 < len(parts):
            pdu += bytes(-len(pdu) % 8)
            struct.pack_into("<I", pdu, 20, len(pdu))
        if key:
            hmac_sign(key, pdu)
        pdus_.append(pdu)
    return b"".join(pdus_)


class Session:
    """An impacket SMB 2.1 session, and the raw socket under it."""

    def __init__(self, port, share="share"):
        from impacket.smbconnection import SMBConnection
        from impacket.smb3structs import SMB2_DIALECT_21
        self.conn = SMBConnection(LO, LO, sess_port=port,
                                  preferredDialect=SMB2_DIALECT_21)
        self.conn.login("tester", "secret")
        self.smb = self.conn._SMBConnection
        self.key = self.smb._Session["SessionKey"][:16]
        self.sid = self.smb._Session["SessionID"]
        self.signing = bool(self.smb._Session["SigningActivated"])
        self.tid = self.conn.connectTree(share)

    def open(self, name):
        from impacket.smb3structs import FILE_READ_DATA, FILE_OPEN_IF
        return self.conn.openFile(self.tid, name, desiredAccess=FILE_READ_DATA,
                                  creationOption=0, creationDisposition=FILE_OPEN_IF)

    def mid(self):
        w = self.smb._Connection["SequenceWindow"]
        self.smb._Connection["SequenceWindow"] += 1
        return w

    def send(self, data):
        self.smb._NetBIOSSession.send_packet(bytes(data))

    def recv(self, timeout=10):
        """The next message's PDUs as bytes each, or None on timeout."""
        try:
            data = self.smb._NetBIOSSession.recv_packet(timeout).get_trailer()
        except Exception:       # impacket raises its own timeout types
            return None
        out = []
        for p in pdus(data):
            end = p.off + p.next if p.next else len(data)
            out.append(bytes(data[p.off:end]))
        return out

    def close(self):
        try:
            self.conn.close()
        except Exception:
            pass


def negotiate_311(signing_ids, mid=0):
    """An SMB 3.1.1 NEGOTIATE with a preauth integrity context and a
    SIGNING_CAPABILITIES context listing @signing_ids (maybe none)."""
    dialects = struct.pack("<H", 0x0311)
    fixed = 36
    ctx_off = HDR + fixed + len(dialects)
    ctx_off += -ctx_off % 8
    preauth = struct.pack("<HHH", 1, 32, 1) + os.urandom(32)
    sign = struct.pack("<H", len(signing_ids)) + b"".join(struct.pack("<H", i) for i in signing_ids)
    ctxs = b""
    for ctype, data in ((1, preauth), (8, sign)):
        c = struct.pack("<HHI", ctype, len(data), 0) + data
        ctxs += c + bytes(-len(c) % 8)
    body = struct.pack("<HHHHI16sIHH", fixed, 1, 0x1, 0, 0, os.urandom(16),
                       ctx_off, 2, 0) + dialects
    body += bytes(ctx_off - HDR - len(body))
    return header(CMD["NEGOTIATE"], mid, credits=1) + body + ctxs


def smb1_negotiate():
    """SMB_COM_NEGOTIATE offering NT LM 0.12 and the SMB2 dialects."""
    dialects = b"".join(b"\x02" + d + b"\x00" for d in
                        (b"NT LM 0.12", b"SMB 2.002", b"SMB 2.???"))
    hdr = struct.pack("<4sBIBHH8sHHHHH", b"\xffSMB", 0x72, 0, 0x18, 0xc853, 0,
                      bytes(8), 0, 0, 0xfeff, 0, 0)
    return hdr + struct.pack("<BH", 0, len(dialects)) + dialects


def exchange(port, message, timeout=10):
    """One message to 127.0.0.1:port on a fresh connection; the reply."""
    with socket.create_connection((LO, port), timeout=timeout) as s:
        s.sendall(struct.pack(">I", len(message)) + bytes(message))
        n = struct.unpack(">I", Proxy.recv_exact(s, 4))[0] & 0xffffff
        return Proxy.recv_exact(s, n)


def neg_contexts(rsp):
    """{ContextType: data} of an SMB2 NEGOTIATE response."""
    off, count = struct.unpack_from("<IH", rsp, HDR + 60)[0], struct.unpack_from("<H", rsp, HDR + 6)[0]
    out = {}
    for _ in range(count):
        if off + 8 > len(rsp):
            break
        ctype, dlen = struct.unpack_from("<HH", rsp, off)
        out[ctype] = bytes(rsp[off + 8:off + 8 + dlen])
        off += 8 + dlen
        off += -off % 8
    return out

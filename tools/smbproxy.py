# SPDX-License-Identifier: GPL-2.0-only
"""SMB2 on the wire, for the end-to-end tests: header fields, and a proxy
on 127.0.0.1 that hands every NetBIOS frame to a hook which may pass,
change, drop, hold or inject frames. Only 127.0.0.1 is ever a target."""
import socket
import struct
import threading
import time

LO = "127.0.0.1"
PROTO = b"\xfeSMB"
HDR = 64
FLAG_RESPONSE, FLAG_ASYNC, FLAG_SIGNED = 0x1, 0x2, 0x8
STATUS_PENDING = 0x00000103
BREAK_MID = 0xFFFFFFFFFFFFFFFF          # MessageId of a break notification
CMD = {"NEGOTIATE": 0x00, "SESSION_SETUP": 0x01, "TREE_CONNECT": 0x03,
       "CREATE": 0x05, "CLOSE": 0x06, "READ": 0x08, "WRITE": 0x09,
       "LOCK": 0x0A, "IOCTL": 0x0B, "CANCEL": 0x0C, "QUERY_DIRECTORY": 0x0E,
       "QUERY_INFO": 0x10, "OPLOCK_BREAK": 0x12}


class Pdu:
    """The header fields of the SMB2 PDU at @off of a frame's payload."""

    def __init__(self, body, off=0):
        self.body, self.off = body, off

    def u16(self, at):
        return struct.unpack_from("<H", self.body, self.off + at)[0]

    def u32(self, at):
        return struct.unpack_from("<I", self.body, self.off + at)[0]

    def u64(self, at):
        return struct.unpack_from("<Q", self.body, self.off + at)[0]

    @property
    def ok(self):
        return len(self.body) >= self.off + HDR and \
            self.body[self.off:self.off + 4] == PROTO

    status = property(lambda s: s.u32(8))
    command = property(lambda s: s.u16(12))
    flags = property(lambda s: s.u32(16))
    next = property(lambda s: s.u32(20))
    mid = property(lambda s: s.u64(24))
    sid = property(lambda s: s.u64(40))
    response = property(lambda s: bool(s.flags & FLAG_RESPONSE))
    signed = property(lambda s: bool(s.flags & FLAG_SIGNED))


def pdus(body):
    """Every PDU of a compound chain."""
    off = 0
    while True:
        p = Pdu(body, off)
        if not p.ok:
            return
        yield p
        if not p.next:
            return
        off += p.next


def frame(body):
    """A NetBIOS session message around an SMB2 message."""
    return struct.pack(">I", len(body)) + bytes(body)


class Conn:
    """One client connection through the proxy. Frames are sent with
    send(direction, frame); direction "c2s" goes to the server."""

    def __init__(self, proxy, client, server):
        self.proxy, self.client, self.server = proxy, client, server
        self.locks = {"c2s": threading.Lock(), "s2c": threading.Lock()}
        self.server_eof = None       # time the server closed, if it did
        self.client_eof = None

    def send(self, direction, data):
        sock = self.server if direction == "c2s" else self.client
        with self.locks[direction]:
            sock.sendall(data)

    def close(self):
        for s in (self.client, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Proxy:
    """127.0.0.1:port -> 127.0.0.1:target. hook(conn, direction, body)
    returns the payloads to pass on in that direction (the body itself to
    pass it unchanged, [] to drop it); it may send others with conn.send()."""

    def __init__(self, target, hook=None):
        self.target = target
        self.hook = hook or (lambda conn, direction, body: [body])
        self.conns = []
        self.log = []               # (time, direction, [(cmd, mid, flags, status)])
        self.port = None
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((LO, 0))
        self.port = self.sock.getsockname()[1]
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
            conn = Conn(self, client, server)
            self.conns.append(conn)
            threading.Thread(target=self.pump, args=(conn, "c2s"), daemon=True).start()
            threading.Thread(target=self.pump, args=(conn, "s2c"), daemon=True).start()

    @staticmethod
    def recv_exact(s, n):
        buf = b""
        while len(buf) < n:
            chunk = s.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def pump(self, conn, direction):
        src = conn.client if direction == "c2s" else conn.server
        try:
            while True:
                hdr = self.recv_exact(src, 4)
                body = bytearray(self.recv_exact(src, struct.unpack(">I", hdr)[0] & 0xffffff))
                self.log.append((time.time(), direction,
                                 [(p.command, p.mid, p.flags, p.status) for p in pdus(body)]))
                for out in self.hook(conn, direction, body):
                    conn.send(direction, frame(out))
        except (OSError, EOFError):
            pass
        finally:
            if direction == "s2c":
                conn.server_eof = conn.server_eof or time.time()
            else:
                conn.client_eof = conn.client_eof or time.time()
            conn.close()

    def responses(self, mid):
        """How many responses (interim ones aside) carried MessageId @mid."""
        return sum(1 for _, d, ps in self.log if d == "s2c"
                   for cmd, m, flags, status in ps
                   if m == mid and status != STATUS_PENDING)

    def stop(self):
        self.sock.close()
        for c in self.conns:
            c.close()


class TamperOnce:
    """Hook: change the first signed PDU of @command in one direction, with
    change(body, pdu) (a bit of its last byte by default); remembers the
    (SessionId, MessageId) it changed. Break notifications (MessageId all
    ones) are never signed and never its target."""

    def __init__(self, command, response, change=None, want_signed=True, min_body=33):
        self.command, self.response = command, response
        self.want_signed = want_signed
        self.min_body = min_body    # bytes after the header it must have
        self.change = change or (lambda body, p: body.__setitem__(len(body) - 1, body[-1] ^ 1))
        self.done = None

    def __call__(self, conn, direction, body):
        if self.done is None and (direction == "s2c") == self.response:
            for p in pdus(body):
                if (p.command == self.command and p.response == self.response and
                        p.status == 0 and p.mid != BREAK_MID and
                        (p.signed or not self.want_signed) and
                        len(body) >= p.off + HDR + self.min_body):
                    self.done = (p.sid, p.mid)
                    self.change(body, p)
                    break
        return [body]


def strip_signature(body, p):
    """What a man in the middle does to signing: SMB2_FLAGS_SIGNED cleared,
    the Signature zeroed, and one byte of the payload changed."""
    struct.pack_into("<I", body, p.off + 16, p.flags & ~FLAG_SIGNED)
    body[p.off + 48:p.off + 64] = bytes(16)
    body[len(body) - 1] ^= 1

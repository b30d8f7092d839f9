#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host side of a Debian-kernel guest (tools/check-debian.sh).

Starts a Samba smbd on 127.0.0.1 that forces AES-GMAC (the guest reaches
it at 10.0.2.102), a proxy that flips one byte of the first READ response
of the guest's ksmbd (the guest reaches it at 10.0.2.110), and the guest
on Debian's own kernel image. When the guest is READY it runs the
tampered-READ check through the guest's control channel. Prints
"E2E ok ..." / "E2E FAIL ..." lines; no address but 127.0.0.1 is used.
"""
import argparse
import shutil
import signal
import sys
import tempfile

from e2e_host import tamper_read
from e2e_lib import Guest, Smbd, fail, free_port, wait_port
from smbproxy import CMD, Proxy, TamperOnce


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True, help="the kernel image (vmlinuz)")
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--qemu-args", required=True, help="the machine")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="smbsign-debian-")
    ports = {"ksmbd": free_port(), "ctl": free_port()}
    smbd = Smbd(work, "AES-128-GMAC")
    read_proxy = Proxy(ports["ksmbd"], TamperOnce(CMD["READ"], response=True))
    guest = Guest(None, args.initrd, args.log, ports,
                  [("10.0.2.102", smbd.port), ("10.0.2.110", read_proxy.port)],
                  kernel=args.kernel, qemu_args=args.qemu_args)
    try:
        if not wait_port(smbd.port):
            fail(f"Samba smbd did not start on port {smbd.port}; see {smbd.dir}")
        if not guest.wait_for("E2E-READY", args.timeout):
            fail("the guest never got ready for the host's tests")
            return
        tamper_read(guest, read_proxy)
        guest.ctl("done")
        guest.proc.wait(timeout=args.timeout)
    finally:
        if guest.proc.poll() is None:
            guest.proc.kill()
        smbd.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    main()

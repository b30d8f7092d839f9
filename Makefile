# SPDX-License-Identifier: GPL-2.0-only
#
# smbsign: out-of-tree build, tests and demo.
#
#   make              build smbsign.ko against the running kernel (or KDIR=)
#   make check        build the test kernel, run every KUnit suite in QEMU,
#                     on Linux 7.2 too, and the end-to-end signing rules
#   make check-full   all of make check, the workloads, smbtorture, and the
#                     suites and end-to-end tests on the debug kernel (CI)
#   make check-debug  only the debug-kernel KUnit run (KASAN, UBSAN, ...)
#   make demo         boot the guest and show smbsign at work
#   make bench        benchmarks in the guest; tables, CSV and plot in results/
#   make checkpatch   kernel style check of every source file
#   make install      modules_install into /lib/modules/<release>/updates, depmod
#   make deb          the smbsign-dkms package (build/smbsign-dkms_*.deb)

KDIR ?= /lib/modules/$(shell uname -r)/build
# git describe in a checkout, the VERSION file in a tarball or DKMS tree
SMBSIGN_VERSION ?= $(shell git -C $(CURDIR) describe --tags --always --dirty 2>/dev/null || cat $(CURDIR)/VERSION)
export SMBSIGN_VERSION

all: modules

modules:
	@test -d "$(KDIR)" || { echo "No kernel build tree at $(KDIR): install linux-headers-$$(uname -r) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null || uname -r)

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf build

check:
	tools/check.sh

check-full:
	SMBSIGN_CHECK=full tools/check.sh

check-debug:
	tools/check-debug.sh

demo:
	tools/demo.sh

bench:
	tools/bench.sh

checkpatch:
	tools/checkpatch.sh

deb:
	tools/dkms/deb.sh

.PHONY: all modules install clean check check-full check-debug demo bench checkpatch deb

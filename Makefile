# SPDX-License-Identifier: GPL-2.0
#
# make            build vzroute.ko against the running kernel's headers
# make demo       boot a VM and watch routes follow containers
# make check      everything: build, sparse, checkpatch, the VM test suite
# make install    install module, tool and rt_protos.d entry

KVER ?= $(shell uname -r)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build) \
		    $(lastword $(sort $(wildcard /lib/modules/*/build))))
PWD := $(CURDIR)
CHECKPATCH ?= $(firstword $(wildcard $(KDIR)/scripts/checkpatch.pl) \
			  $(wildcard /var/cache/vzroute-test/linux-source-6.1/scripts/checkpatch.pl))

KSRC := $(wildcard kmod/*.c kmod/*.h uapi/linux/*.h)

all: module

need-kdir:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "vzroute: no kernel headers found (KDIR=$(KDIR))." >&2; \
		echo "Install them (Debian: apt-get install linux-headers-\$$(uname -r))" >&2; \
		echo "or point KDIR at a configured kernel tree." >&2; \
		exit 1; \
	fi

module: need-kdir
	$(MAKE) -C $(KDIR) M=$(PWD) W=1 KCFLAGS=-Werror modules

sparse: need-kdir
	$(MAKE) -C $(KDIR) M=$(PWD) C=2 CF="-D__CHECK_ENDIAN__ -Wsparse-error" modules

checkpatch:
	@test -n "$(CHECKPATCH)" || { echo "checkpatch.pl not found: set CHECKPATCH=" >&2; exit 1; }
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE \
		-f $(KSRC)

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	rm -f kmod/*.o kmod/.*.cmd

check:
	tests/check.sh

demo:
	tests/demo.sh

.PHONY: all need-kdir module sparse checkpatch clean check demo

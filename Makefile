# SPDX-License-Identifier: GPL-2.0
#
# make            build vzroute.ko (against the running kernel's headers) and the tool
# make demo       boot a VM and watch routes follow containers
# make check      everything: build, sparse, checkpatch, the VM test suite
# make matrix     compile against the kernel trees in KTREES (see below)
# make stress     the long runs: churn soaks (every kernel), netlink fuzzer and faults (debug)
# make install    install module, tool and rt_protos.d entry

KVER ?= $(shell uname -r)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build) \
		    $(lastword $(sort $(wildcard /lib/modules/*/build))))
PWD := $(CURDIR)
CHECKPATCH ?= $(firstword $(wildcard $(KDIR)/scripts/checkpatch.pl) \
			  $(wildcard /var/cache/vzroute-test/linux-source-6.1/scripts/checkpatch.pl))

KSRC := $(wildcard kmod/*.c kmod/*.h uapi/linux/*.h) \
	tests/venet/venet_emu.c $(wildcard tests/venet/include*/linux/*.h)

all: module tool

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

tool:
	$(MAKE) -C userspace

# Module (under updates/, found before in-tree modules; depmod is run),
# tool, man page, bash completion, and the protocol name for iproute2.
# DESTDIR and INSTALL_MOD_PATH stage it elsewhere.
install: module tool
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_DIR=updates modules_install
	$(MAKE) -C userspace install
	install -D -m 0644 rt_protos.d/vzroute.conf \
		$(DESTDIR)/etc/iproute2/rt_protos.d/vzroute.conf

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	$(MAKE) -C userspace clean
	rm -f kmod/*.o kmod/.*.cmd
	rm -rf generated

check:
	tests/check.sh

# make matrix KTREES="DIR[:CC] ..."   compile vzroute (W=1, venet backend on
# el7/el8 trees) against each prepared kernel tree, in a scratch copy: one
# line per tree (release, built/failed, warnings).  See tests/matrix/matrix.sh.
matrix:
	@test -n "$(KTREES)" || { echo 'usage: make matrix KTREES="DIR[:CC] ..."' >&2; exit 2; }
	tests/matrix/matrix.sh $(KTREES)

demo:
	tests/demo.sh

bench:
	tests/bench.sh

.PHONY: all need-kdir module tool install sparse checkpatch clean check demo bench matrix

# The debug test kernel (tests/kernel: KUnit, KASAN, UBSAN, lockdep,
# kmemleak...), built once and cached outside the checkout.  "make check"
# runs both of these (the integration tests there: a subset, see
# tests/check-debug.sh -q); alone, for quick loops:
# make kunit        the KUnit suites of tests/kunit, one line per test case
# make check-debug  the integration tests (1*-4*) on the debug kernel
kunit:
	tests/check-debug.sh kunit

check-debug:
	tests/check-debug.sh suite

.PHONY: kunit check-debug

# make stress      the long runs, in one tests/check.sh (two VMs at a
#                  time): the churn soak (tests/integration/46-soak.sh) for
#                  STRESS_SOAK_SECS seconds on each of the three Debian
#                  kernels, its figures printed as "# LABEL: soak: ...";
#                  on the debug kernel, the generic netlink fuzzer
#                  (tests/integration/45-nl-fuzz.sh), STRESS_FUZZ messages
#                  as root and as many again as a container's root
#                  ("# debug: nlfuzz: ..."), and the soak there
#                  (47-fault-soak) for STRESS_SOAK_SECS seconds without
#                  faults, then as long again with them ("# debug: soak:
#                  ..."); kmemleak after the last unload; and on the
#                  three, 11-updown's last step STRESS_UPDOWN_ROUNDS times
#                  ("# LABEL: updown: ..."), a failed route add that only
#                  the timed look tries again.  The guests'
#                  two CPUs each get a host thread (VZR_TCG_THREAD=multi):
#                  they really run at once, as on a node.
#                  The status is non-zero when anything failed.
STRESS_FUZZ ?= 1000000
STRESS_TEST_TIMEOUT ?= 36000
STRESS_SOAK_SECS ?= 600
STRESS_UPDOWN_ROUNDS ?= 100
stress:
	VZR_KERNELS="6.1 6.12 6.12-rt" VZR_LANES_FULL=1 VZR_DKMS=0 \
	VZR_TCG_THREAD=multi \
	VZR_TESTS='^(11-updown|46-soak)$$' \
	VZR_UPDOWN_ROUNDS=$(STRESS_UPDOWN_ROUNDS) \
	VZR_DEBUG_TESTS='^(45-nl-fuzz|47-fault-soak)$$' \
	VZR_SOAK_SECS=$(STRESS_SOAK_SECS) \
	VZR_TEST_TIMEOUT=$$(($(STRESS_SOAK_SECS) + 600)) \
	VZR_DEBUG_TEST_TIMEOUT=$(STRESS_TEST_TIMEOUT) \
	VZR_FUZZ_COUNT=$(STRESS_FUZZ) VZR_FUZZ_CT_COUNT=$(STRESS_FUZZ) \
		tests/check.sh

.PHONY: stress

# DKMS and Debian packages.  The version is VERSION's (tests/dkms/versions.sh
# checks dkms.conf and debian/changelog against it).
# make dkms-src      copy the module's sources to $(DESTDIR)/usr/src/vzroute-VERSION
# make dkms-install  dkms-src, then dkms add, build, install for KVER
# make dkms-remove   dkms remove --all, and the sources in /usr/src
# make deb           vzroute and vzroute-dkms .deb files in build/deb/
VERSION := $(shell cat $(CURDIR)/VERSION)
DKMS_SRC := $(DESTDIR)/usr/src/vzroute-$(VERSION)
DKMS_FILES = dkms.conf Kbuild VERSION \
	     $(wildcard kmod/*.c kmod/*.h uapi/linux/*.h conftest/*.c conftest/*.sh)
DEB_DIR := $(CURDIR)/build/deb

dkms-src:
	rm -rf $(DKMS_SRC)
	for f in $(DKMS_FILES); do \
		install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit; \
	done
	chmod 0755 $(DKMS_SRC)/conftest/conftest.sh

dkms-install: dkms-src
	dkms status -m vzroute -v $(VERSION) | grep -q . || \
		dkms add -m vzroute -v $(VERSION)
	dkms install -m vzroute -v $(VERSION) -k $(KVER)

dkms-remove:
	if dkms status -m vzroute -v $(VERSION) | grep -q .; then \
		dkms remove -m vzroute -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)

# From a copy of the tree's files (tracked or not, less what .gitignore
# names), so that the build leaves nothing in the tree.
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/vzroute-$(VERSION)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/vzroute-$(VERSION)
	cd $(DEB_DIR)/vzroute-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls -1 $(DEB_DIR)/*.deb

.PHONY: dkms-src dkms-install dkms-remove deb

# RPM packages (rpm/vzroute.spec): vzroute, vzroute-dkms and the source
# package in build/rpm/, from a tarball of the tree made as for "make deb".
# Debian's rpmbuild (apt-get install rpm) builds them as EL's does.
# make rpm           build/rpm/RPMS/*/vzroute*.rpm, build/rpm/SRPMS/
RPM_DIR := $(CURDIR)/build/rpm
# On Debian the build dependencies are Debian packages, which rpm's own
# database does not know: there, rpmbuild checks none (--nodeps).
RPMBUILD_FLAGS ?= $(if $(wildcard /etc/debian_version),--nodeps)

rpm:
	rm -rf $(RPM_DIR)
	mkdir -p $(RPM_DIR)/SOURCES $(RPM_DIR)/tree/vzroute-$(VERSION)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(RPM_DIR)/tree/vzroute-$(VERSION)
	tar -C $(RPM_DIR)/tree -czf $(RPM_DIR)/SOURCES/vzroute-$(VERSION).tar.gz \
		vzroute-$(VERSION)
	rm -rf $(RPM_DIR)/tree
	rpmbuild -ba $(RPMBUILD_FLAGS) --define '_topdir $(RPM_DIR)' rpm/vzroute.spec
	@ls -1 $(RPM_DIR)/RPMS/*/*.rpm $(RPM_DIR)/SRPMS/*.rpm

.PHONY: rpm

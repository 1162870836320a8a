#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The RPM packages, built here with Debian's rpmbuild (make rpm) and looked
# at without installing them into this machine:
#   - rpmlint (with rpm/vzroute.rpmlintrc) reports no error, and every
#     warning it keeps is named in rpm/vzroute.spec's comments;
#   - rpm -qlp: each package holds exactly the expected files (vzroute-dkms:
#     what "make dkms-src" installs);
#   - rpm -qp --scripts: vzroute-dkms's %post adds, builds and installs with
#     dkms, its %preun removes;
#   - rpm --root SCRATCH --nodeps --noscripts -i of both puts every listed
#     file there.
# Run by tests/check.sh (the dkms step); alone: tests/dkms/rpm.sh LOGDIR.
# Prints why on failure; exit 1.

set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
logs=${1:-$(mktemp -d)}
v=$(<"$root/VERSION")
dir=$root/build/rpm
rc=0
bad() { printf '%s\n' "$*"; rc=1; }

make -C "$root" rpm >"$logs/rpm-build.log" 2>&1 ||
	{ echo "make rpm failed ($logs/rpm-build.log):"; tail -n 20 "$logs/rpm-build.log"; exit 1; }
tool=$(compgen -G "$dir/RPMS/x86_64/vzroute-$v-*.rpm" || compgen -G "$dir/RPMS/*/vzroute-$v-*[0-9].[a-z]*[0-9_].rpm")
dkms=$(compgen -G "$dir/RPMS/noarch/vzroute-dkms-$v-*.noarch.rpm")
srpm=$(compgen -G "$dir/SRPMS/vzroute-$v-*.src.rpm")
[[ -f $tool && -f $dkms && -f $srpm ]] || { echo "make rpm: missing packages: tool '$tool' dkms '$dkms' srpm '$srpm'"; exit 1; }

# rpmlint
lint=$(rpmlint -r "$root/rpm/vzroute.rpmlintrc" "$tool" "$dkms" "$srpm" "$root/rpm/vzroute.spec" 2>&1)
printf '%s\n' "$lint" >"$logs/rpmlint.log"
grep -q ' 0 errors, ' <<<"$lint" || bad "rpmlint reports errors ($logs/rpmlint.log):"$'\n'"$(grep ': E: ' <<<"$lint")"
sed -n 's/^[^ ]*: W: \([^ ]*\).*/\1/p' <<<"$lint" | sort -u >"$logs/rpmlint-warnings"
while read -r w; do
	grep -q "^#.*${w//%/%%}" "$root/rpm/vzroute.spec" || grep -q "^#.*$w" "$root/rpm/vzroute.spec" ||
		bad "rpmlint warning $w is not named in rpm/vzroute.spec's comments"
done <"$logs/rpmlint-warnings"

# file lists
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make -s -C "$root" dkms-src DESTDIR="$stage/dkms" >/dev/null 2>&1 || bad "make dkms-src failed"
want_dkms=$(cd "$stage/dkms" && find usr/src -mindepth 1 | sed 's|^|/|' | sort)
got_dkms=$(rpm -qlp "$dkms" | sort)
[[ $got_dkms == "$want_dkms" ]] || bad "vzroute-dkms: rpm -qlp differs from make dkms-src:"$'\n'"$(diff <(echo "$want_dkms") <(echo "$got_dkms"))"
doc=$(rpm -qlp "$tool" | grep -m1 '^/usr/share/doc/vzroute[^/]*$')
[[ -n $doc ]] || bad "vzroute: no doc folder"
want_tool=$(printf '%s\n' /etc/iproute2 /etc/iproute2/rt_protos.d /etc/iproute2/rt_protos.d/vzroute.conf \
	/usr/sbin/vzroute /usr/share/bash-completion /usr/share/bash-completion/completions \
	/usr/share/bash-completion/completions/vzroute "$doc" "$doc/README.md" "$doc/examples" \
	"$doc/examples/modprobe.d" "$doc/examples/modprobe.d/vzroute.conf" \
	"$doc/examples/modules-load.d" "$doc/examples/modules-load.d/vzroute.conf" \
	"$doc/examples/frr-node.conf" "$doc/examples/frr-node-bgp.conf" "$doc/examples/bird-node.conf" \
	"$doc/examples/bird-node-bgp.conf" "$doc/examples/prometheus" \
	"$doc/examples/prometheus/vzroute-metrics.service" "$doc/examples/prometheus/vzroute-metrics.timer" \
	"$doc/examples/prometheus/vzroute-metrics.cron" | sort)
# the man page (compressed or not, by the distribution's brp-compress), and
# build-id links (an ELF build detail) aside
got_tool=$(rpm -qlp "$tool" | grep -v '^/usr/lib/\.build-id' | sort)
man=$(grep -c '^/usr/share/man/man8/vzroute\.8\(\.gz\|\.bz2\|\.xz\)\?$' <<<"$got_tool")
[[ $man == 1 ]] || bad "vzroute: no man page vzroute.8"
got_tool=$(grep -v '^/usr/share/man/' <<<"$got_tool")
[[ $got_tool == "$want_tool" ]] || bad "vzroute: rpm -qlp differs:"$'\n'"$(diff <(echo "$want_tool") <(echo "$got_tool"))"
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$tool" | grep -qx 'cn /etc/iproute2/rt_protos.d/vzroute.conf' ||
	bad "vzroute: rt_protos.d/vzroute.conf is not %config(noreplace)"
[[ $(rpm -qp --qf '%{ARCH}' "$dkms") == noarch ]] || bad "vzroute-dkms is not noarch"
rpm -qp --requires "$dkms" | grep -qx 'dkms' || bad "vzroute-dkms does not require dkms"

# scriptlets
scripts=$(rpm -qp --scripts "$dkms")
post=$(sed -n '/^postinstall scriptlet/,/^[a-z]* *scriptlet/p' <<<"$scripts")
preun=$(sed -n '/^preuninstall scriptlet/,$p' <<<"$scripts")
for c in "dkms add -m vzroute -v $v" "dkms build -m vzroute -v $v" "dkms install -m vzroute -v $v"; do
	grep -q "^$c " <<<"$post" || bad "vzroute-dkms %post: no \"$c\":"$'\n'"$scripts"
done
grep -q "dkms remove -m vzroute -v $v -q --all" <<<"$preun" || bad "vzroute-dkms %preun: no dkms remove --all:"$'\n'"$scripts"
[[ -z $(rpm -qp --scripts "$tool") ]] || bad "vzroute has scriptlets: $(rpm -qp --scripts "$tool")"

# installed into a scratch root
scratch=$stage/root
mkdir -p "$scratch"
if rpm --root "$scratch" --nodeps --noscripts -i "$tool" "$dkms" >"$logs/rpm-root.log" 2>&1; then
	missing=
	for f in $(rpm -qlp "$tool" "$dkms"); do
		[[ -e $scratch$f ]] || missing+=" $f"
	done
	[[ -z $missing ]] || bad "rpm --root: not placed:$missing"
	[[ -x $scratch/usr/sbin/vzroute ]] || bad "rpm --root: /usr/sbin/vzroute not executable"
	[[ $(rpm --root "$scratch" -qa --qf '%{NAME}\n' | sort | tr '\n' ' ') == "vzroute vzroute-dkms " ]] ||
		bad "rpm --root -qa: $(rpm --root "$scratch" -qa)"
else
	bad "rpm --root $scratch -i failed ($logs/rpm-root.log): $(tail -n 5 "$logs/rpm-root.log")"
fi
exit $rc

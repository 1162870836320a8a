#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink fuzzer (tests/tools/nlfuzz.c): random requests,
# valid ones mutated, dumps stopped halfway, for every command, as root
# and then as a container's root (its own user and network namespaces).
# Afterwards the kernel still answers, the settings are byte for byte
# those of the start (nlfuzz checks that every change it saw was one a
# valid request asked for, then restores them; as a container's root
# nothing may change at all), the routes are those of the start, and the
# kernel log has no report.
#
# VZR_FUZZ_COUNT        messages as root (default 20000: the stock kernel's
#                       run; tests/check-debug.sh sets 30000, make stress
#                       1000000)
# VZR_FUZZ_CT_COUNT     messages as a container's root (default: the same;
#                       check-debug.sh: 10000, make stress: 1000000)
# VZR_FUZZ_SEED         the generator's seed (default: nlfuzz's, printed)
#
# timeout: 1200

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

count=${VZR_FUZZ_COUNT:-20000}
ct_count=${VZR_FUZZ_CT_COUNT:-$count}
fuzz=("$VZR_ROOT/tests/tools/nlfuzz" ${VZR_FUZZ_SEED:+-s "$VZR_FUZZ_SEED"})

# One container with 41 IPv4 addresses (the GET_ADDRS dump takes several
# parts, so that a dump stopped after one is stopped halfway) and an IPv6
# one; an allow list with a binding.
ct_create c1 vh1
batch=
rows=
for i in $(seq 1 40); do
	batch+="addr add 10.1.1.$i/32 dev eth0"$'\n'
	rows+="10.1.1.$i vh1 128 link"$'\n'
done
ip -n c1 -batch - <<<"$batch"
ct_addr c1 10.1.0.1/32
ct_addr6_nodad c1 2001:db8::1/64
rows+="10.1.0.1 vh1 128 link"$'\n'
mod_load 'allow=10.1.0.0/16@vh*,2001:db8::/32,192.0.2.0/24'
v4=$(json_rows dst dev metric scope <<<"$rows")
v6='[{"dst": "2001:db8::1", "dev": "vh1", "metric": 128}]'
expect_routes "$v4"
expect_routes -6 "$v6"
before=$(vzr -j config)

out=$("${fuzz[@]}" -n "$count" 2>&1) || fail "nlfuzz as root:"$'\n'"$out"
echo "$out"
[[ $(vzr -j config) == "$before" ]] || fail "settings not those of the start: $(vzr -j config)"
expect_routes "$v4"
expect_routes -6 "$v6"
ok "as root: $count messages; settings and routes those of the start"

out=$(ip netns exec c1 unshare --user --map-root-user --net "${fuzz[@]}" -n "$ct_count" 2>&1) ||
	fail "nlfuzz as a container's root:"$'\n'"$out"
echo "$out"
[[ $out == *"as a container's root: every change refused with EPERM"* ]] ||
	fail "nlfuzz did not run as a container's root:"$'\n'"$out"
[[ $(vzr -j config) == "$before" ]] || fail "settings changed: $(vzr -j config)"
expect_stable_routes -t 1 "$v4"
expect_stable_routes -6 -t 1 "$v6"
ok "as a container's root: $ct_count messages, every change refused; nothing changed"

mod_unload
check_kernel_log
pass

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Result lines and counting, shared by tests/check.sh and
# tests/check-debug.sh (sourced), so that both print and count
# results the same way and end with the same line:
#	ok - NAME
#	not ok - NAME          (followed by the reasons, indented by two spaces)
#	skip - NAME            (counted as neither passed nor failed)
#	# comment
#	N passed, N failed     (last; finish)
# npass, nfail and nskip are the counters.

npass=0
nfail=0
nskip=0

say() { printf '%s\n' "$*"; }

# count VERDICT: count one result without printing it.
count() {
	case $1 in
	ok) npass=$((npass + 1)) ;;
	skip) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
}

# report VERDICT NAME [REASONS]: print one result line and count it.
report() {
	local verdict=$1 name=$2 reasons=${3-} line
	say "$verdict - $name"
	if [[ -n $reasons ]]; then
		while IFS= read -r line; do
			say "  $line"
		done <<<"$reasons"
	fi
	count "$verdict"
}

# finish: the closing line; exit status 1 when anything failed.
finish() {
	((nskip == 0)) || say "# $nskip skipped (not counted as passed)"
	say "$npass passed, $nfail failed"
	((nfail == 0)) || exit 1
	exit 0
}

# now_ms: wall clock in milliseconds; secs MS: "12.3".
now_ms() { local t=${EPOCHREALTIME/[.,]/}; printf '%s\n' $((10#$t / 1000)); }
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# guest_results FILE PREFIX PRINT: count the results in FILE, the second
# serial port of a VM running tests/guest/suite.sh ("# planned NAME",
# "# running NAME", result lines with their indented reasons), with PREFIX
# before each name; print them too when PRINT is 1 (0: they were shown
# while the VM ran).  Then a planned test without a result fails: the one
# running when the VM stopped (crash or hang), and those after it.  Sets
# guest_reported: how many results the guest gave.
guest_results() {
	local file=$1 prefix=$2 print=$3 line verdict name running='' inblock=0
	local -A seen=()
	local -a planned=()
	guest_reported=0
	while IFS= read -r line; do
		case $line in
		'# planned '*) planned+=("${line#'# planned '}"); inblock=0 ;;
		'# running '*) running=${line#'# running '}; inblock=0 ;;
		'ok - '* | 'not ok - '* | 'skip - '*)
			verdict=${line%% - *}
			name=${line#* - }
			((print)) && say "$verdict - $prefix$name"
			count "$verdict"
			seen[$name]=1
			guest_reported=$((guest_reported + 1))
			inblock=1 ;;
		'  '*) ((print && inblock)) && say "$line" ;;
		*) inblock=0 ;;
		esac
	done <"$file"
	for name in "${planned[@]}"; do
		[[ -z ${seen[$name]-} ]] || continue
		if [[ $name == "$running" ]]; then
			report "not ok" "$prefix$name" "no result: the VM crashed or hung while this test ran"
		else
			report "not ok" "$prefix$name" "not run: the VM stopped before"
		fi
		seen[$name]=1
	done
}

# vm_death RESULT CONSOLE: when the guest's kernel panicked (CONSOLE),
# say when: during boot before any test, or while which test ran (RESULT:
# the "# running NAME" lines of tests/guest/suite.sh), with the panic line.
vm_death() {
	local res=$1 con=$2 panic running
	[[ -f $con ]] || return 0
	panic=$(grep -a -m1 -o 'Kernel panic - not syncing.*' "$con" | tr -d '\r')
	[[ -n $panic ]] || return 0
	running=$(grep -a '^# running ' "$res" 2>/dev/null | tail -n 1)
	running=${running#'# running '}
	if [[ -z $running ]]; then
		printf 'kernel panicked during boot, before any test: %s\n' "$panic"
	else
		printf 'kernel panicked while %s ran: %s\n' "$running" "$panic"
	fi
}

# vm_problems_of RUN_ERR RESULT RC [CONSOLE]: print what went wrong with the
# VM itself (nothing when all went well): a kernel panic (vm_death, when
# CONSOLE is given), what tests/vm/run.sh reported on stderr (RUN_ERR) as
# a failure, with its indented lines, what the guest said in RESULT
# outside test results, and a missing exit status (RC: run.sh's).
vm_problems_of() {
	local err=$1 res=$2 rc=$3 con=${4-} line inblock=0 out=''
	[[ -z $con ]] || out=$(vm_death "$res" "$con")
	[[ -z $out ]] || out+=$'\n'
	while IFS= read -r line; do
		case $line in
		'run.sh: FAIL'* | 'run.sh: guest /init failed'*)
			out+=${line#run.sh: }$'\n'
			inblock=1 ;;
		'    '*) ((inblock)) && out+=$line$'\n' ;;
		*) inblock=0 ;;
		esac
	done <"$err"
	while IFS= read -r line; do
		case $line in
		'# no test'* | 'init-error: '*) out+=${line#\# }$'\n' ;;
		esac
	done <"$res"
	if [[ -z $out ]] && ! grep -q '^exit=' "$res"; then
		out+="the guest reported no exit status (run.sh status $rc)"$'\n'
	fi
	printf '%s' "$out"
}

# relay: copy the output of another driver of the same format (stdin) to
# stdout, counting its result lines here; comments and indented reasons
# are passed through.  Its closing "N passed, N failed" is not printed but
# kept in relay_total: empty when the other driver died before its end.
relay() {
	local line
	relay_total=
	while IFS= read -r line; do
		# shellcheck disable=SC2034 # relay_total is read by the caller
		case $line in
		'ok - '* | 'not ok - '* | 'skip - '*)
			say "$line"
			count "${line%% - *}" ;;
		[0-9]*' passed, '[0-9]*' failed') relay_total=$line ;;
		'# '[0-9]*' skipped (not counted as passed)') ;;
		*) say "$line" ;;
		esac
	done
}

# SPDX-License-Identifier: GPL-2.0
#
# A strict reader of the Prometheus text exposition format (0.0.4), as
# vzroute stats -o prometheus writes it: exits non-zero, saying why on
# stderr, unless every line is a HELP, a TYPE or a sample; each metric has
# one HELP and one TYPE (counter or gauge) before its samples, which
# follow one another; counters end in _total; no series twice; values are
# numbers.  On success prints each sample as "NAME{LABELS} VALUE".
#
# usage: awk -f promcheck.awk FILE

function bad(msg) {
	printf "promcheck: line %d: %s: %s\n", NR, msg, $0 > "/dev/stderr"
	err = 1
	exit 1
}

BEGIN {
	name_re = "^[a-zA-Z_:][a-zA-Z0-9_:]*$"
	# label="value", value with \\, \" and \n escapes only
	label_re = "[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\n]|\\\\[\\\\\"n])*\""
	labels_re = "^\\{(" label_re "(," label_re ")*)?\\}$"
	num_re = "^[-+]?([0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?|NaN|[-+]?Inf)$"
}

/^# HELP / {
	if (!match($3, name_re)) bad("bad metric name")
	if ($3 in help) bad("second HELP")
	if ($3 in seen) bad("HELP after the samples")
	help[$3] = 1
	if (NF < 4) bad("empty HELP")
	next
}

/^# TYPE / {
	if (!match($3, name_re)) bad("bad metric name")
	if ($3 in type) bad("second TYPE")
	if ($3 in seen) bad("TYPE after the samples")
	if (NF != 4 || ($4 != "counter" && $4 != "gauge")) bad("type not counter or gauge")
	if ($4 == "counter" && $3 !~ /_total$/) bad("counter without _total")
	type[$3] = $4
	next
}

/^#/ { bad("comment other than HELP and TYPE") }

{
	if (NF != 2) bad("not NAME[{LABELS}] VALUE")
	series = $1
	name = series
	lab = ""
	i = index(series, "{")
	if (i) {
		name = substr(series, 1, i - 1)
		lab = substr(series, i)
		if (!match(lab, labels_re)) bad("bad labels")
	}
	if (!match(name, name_re)) bad("bad metric name")
	if (!(name in type)) bad("sample without TYPE")
	if (!(name in help)) bad("sample without HELP")
	if (name != last && (name in seen)) bad("samples of " name " not together")
	if (series in done) bad("series twice")
	if (!match($2, num_re)) bad("value not a number")
	if (type[name] == "counter" && $2 + 0 < 0) bad("negative counter")
	seen[name] = 1
	done[series] = 1
	last = name
	out[++n] = series " " $2
}

END {
	if (err) exit 1
	if (!n) {
		print "promcheck: no sample" > "/dev/stderr"
		exit 1
	}
	for (i = 1; i <= n; i++) print out[i]
}

# SPDX-License-Identifier: GPL-2.0
#
# json_rows (tests/lib/lib.sh): a table, one row a line of words separated
# by blanks (raw input, jq -R -s), as a JSON list of objects whose keys
# are the words of $keys; a word that is a number becomes one.

($keys | split(" ")) as $k
| [split("\n")[] | select(test("\\S"))
   | [splits("\\s+") | select(length > 0) | (tonumber? // .)]
   | [$k, .] | transpose | map({(.[0]): .[1]}) | add]

#!/bin/sh
# Reference driver: runs one workload with pgbench, every script weighted as in weights.tsv
# and the -D variables from vars.sql. Extra arguments go to pgbench (default: 4 clients,
# 2 threads, 20 s). Connection from the usual PG* variables.
# Usage: run.sh crm|analytics|<dir> [pgbench options]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case $1 in /*|./*|../*) dir=$1 ;; *) dir=$here/$1 ;; esac
shift
[ $# -gt 0 ] || set -- -c 4 -j 2 -T 20
args=""
for v in $(psql -X -Atf "$dir/vars.sql"); do args="$args -D $v"; done
while IFS="$(printf '\t')" read -r name weight; do
    args="$args -f $dir/scripts/$name.sql@$weight"
done < "$dir/weights.tsv"
# -M prepared: the scripts' :variables must be bind parameters (see README.md).
# shellcheck disable=SC2086
exec pgbench -n -M prepared $args "$@"

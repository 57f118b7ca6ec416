#!/bin/sh
# Loads the demo CRM dataset (schema `crm`) with psql, the way crates/demo/src/dataset.rs
# does: each SQL file in its own transaction with the scale in the `indexpilot.scale`
# setting and the same seed, share.sql first for the per-tenant tables, then VACUUM (ANALYZE).
# Usage: load.sh [scale]   (default 0.3; connection from the usual PG* variables)
set -eu
scale=${1:-0.3}
sql=$(cd "$(dirname "$0")/../../../../crates/demo/sql" && pwd)
{
    echo "SET statement_timeout = 0;"
    echo "SET client_min_messages = warning;"
    # No statistics on freshly generated rows: avoid merge joins that sort every row.
    echo "SET enable_mergejoin = off;"
    echo "DROP SCHEMA IF EXISTS crm CASCADE;"
    for step in schema tenants users organisations contacts deals activities constraints; do
        echo "BEGIN;"
        echo "SELECT set_config('indexpilot.scale', '$scale', true), setseed(0.42) \\g /dev/null"
        case $step in
            users|organisations|contacts|deals|activities) cat "$sql/share.sql" ;;
        esac
        cat "$sql/$step.sql"
        echo "COMMIT;"
    done
    echo "VACUUM (ANALYZE) crm.tenants, crm.users, crm.organisations, crm.contacts, crm.deals, crm.activities;"
} | psql -X -q -v ON_ERROR_STOP=1 -f -

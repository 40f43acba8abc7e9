#!/usr/bin/env bash
# ordercare-host behaves like a command-line tool: -h/--help lists every
# command and option and the exit codes, --version names both versions,
# options go anywhere (and "--" ends them), report --json prints the whole
# result, and bad arguments exit 2 with a one-line hint.
#   host_cli_test.sh ORDERCARE_HOST LIBRARY
set -euo pipefail
host=$1 lib=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "host_cli_test: $*" >&2; exit 1; }
db=$work/shop.db

for flag in -h --help; do
  help=$("$host" "$flag") || fail "$flag exited $?"
  for word in replay query report poll serve ledger --lib --config --db --ledger --clock --faults --stock \
              --orders --agents --json --quiet --help --version "Exit codes"; do
    grep -q -- "$word" <<<"$help" || fail "$flag does not mention $word"
  done
done

version=$("$host" --lib "$lib" --version) || fail "--version exited $?"
grep -q '^ordercare-host [0-9]' <<<"$version" || fail "--version: $version"
grep -q '^libordercare [0-9.]*, ABI 1\.[0-9]*' <<<"$version" || fail "--version: $version"

after=$("$host" query cases.list '{"limit": 1}' --lib "$lib" --db "$db" --quiet) || fail "options after the command"
[ "$after" = '{"cases":[],"next_cursor":null}' ] || fail "options after the command: $after"
ended=$("$host" --lib "$lib" --db "$db" --quiet -- query cases.list '{}') || fail "-- before the command"
[ "$ended" = "$after" ] || fail "-- before the command: $ended"

report=$("$host" --lib "$lib" --db "$db" --quiet --json report report.daily '{"date": "2026-11-20", "format": "text"}')
python3 -c 'import json, sys; r = json.loads(sys.argv[1]); assert r["format"] == "text" and "Daily" in r["content"]' \
  "$report" || fail "report --json is not the whole result: ${report:0:200}"

set +e
"$host" --bogus 2>"$work/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "an unknown option exited $rc, expected 2"
[ "$(wc -l <"$work/err")" -eq 2 ] || fail "an unknown option printed more than the error and a hint: $(cat "$work/err")"
set +e
"$host" --lib "$lib" --db "$db" 2>/dev/null; rc=$?
set -e
[ $rc -eq 2 ] || fail "no command exited $rc, expected 2"
set +e
"$host" --lib "$lib" --db "$db" --agents "$work/none.jsonl" query cases.list 2>/dev/null; rc=$?
set -e
[ $rc -eq 2 ] || fail "--agents without replay exited $rc, expected 2"
printf '{"at": "yesterday", "method": "case.note"}\n' >"$work/agents.jsonl"
printf '{"id": "e1", "type": "order.updated", "occurred_at": "2026-11-20T10:00:00Z", "source": "host", "data": {"order_id": "o1", "status": "processing"}}\n' >"$work/day.jsonl"
set +e
"$host" --lib "$lib" --db "$db" --agents "$work/agents.jsonl" replay "$work/day.jsonl" 2>"$work/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "a bad --agents line exited $rc, expected 1"
grep -q 'agents.jsonl line 1: "at"' "$work/err" || fail "a bad --agents line: $(cat "$work/err")"
set +e
"$host" --lib "$work/missing.so" --version >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 3 ] || fail "--version with no library exited $rc, expected 3"
echo "host_cli_test: ok"

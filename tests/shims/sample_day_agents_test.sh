#!/usr/bin/env bash
# The sample day with its staff (scripts/run's main job): ordercare-host
# replays the events with the agents' actions of sample_day_agents.jsonl on
# the sample shop's config, and the day then has what an operator expects:
# every action carried out, replies, a replacement, return labels and
# surveys delivered, some cases resolved and some left open, a few SLA
# breaches (not every case), red flags, and values for first response,
# resolution, first contact resolution, CSAT and refund time. Replaying the
# same files into the same store again carries out nothing more.
#   sample_day_agents_test.sh ORDERCARE_HOST LIBRARY SOURCE_DIR
set -euo pipefail
host=$1 lib=$2 src=$3
data=$src/host_shims/c/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "sample_day_agents_test: $*" >&2; exit 1; }

python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); c["store"] = {"path": sys.argv[2]}; print(json.dumps(c))' \
  "$data/sample_shop.json" "$work/day.db" >"$work/config.json"
replay() {
  "$host" --lib "$lib" --config "$work/config.json" --quiet --clock fixed:2026-11-06T00:00:00Z \
    --agents "$data/sample_day_agents.jsonl" replay "$data/sample_day.jsonl"
}
replay >"$work/first.txt" || fail "replay exited $?"
actions=$(wc -l <"$data/sample_day_agents.jsonl")
grep -qx "actions: done $actions, refused 0 of $actions" "$work/first.txt" ||
  fail "not every action was carried out: $(grep -E '^action [0-9]+: (refused|failed)|^actions:' "$work/first.txt" | head -5)"
delivered=$(grep '^delivered to customers: ' "$work/first.txt")
for template in agent_reply feedback_survey; do
  grep -Eq "[:,] $template [1-9]" <<<"$delivered" || fail "no $template delivered: $delivered"
done
carried=$(grep '^order actions carried out: ' "$work/first.txt")
for action in reship return_label; do
  grep -Eq "[:,] $action [1-9]" <<<"$carried" || fail "no $action carried out: $carried"
done
grep -q '^action [0-9]*: done case.send_template ' "$work/first.txt" || fail "no macro was sent"

"$host" --lib "$lib" --config "$work/config.json" --quiet --clock fixed:2026-11-20T23:59:00Z \
  report report.daily '{"date": "2026-11-20"}' >"$work/report.json" || fail "report.daily exited $?"
python3 - "$work/report.json" <<'PY' || fail "the daily report"
import json, sys
r = json.load(open(sys.argv[1]))
m = r["metrics"]
flags = [e for e in r["escalations_log"] if e["kind"] == "red_flag"]
breaches = [e for e in r["escalations_log"] if e["kind"] == "sla_breach"]
checks = {
    "cases received": r["tickets_received"] > 0,
    "some resolved": 0 < r["tickets_resolved"] < r["tickets_received"],
    "some left open": r["pending_tickets"] > 0,
    "a few SLA breaches, not all": 0 < len(breaches) <= r["tickets_received"] // 5,
    "red flags": len(flags) >= 3,
    "a manager resolved red flags": any(e["status"] == "resolved" for e in flags),
    "first response time": m["first_response"]["count"] > 0 and m["first_response"]["median_ms"] > 0,
    "resolution time": m["resolution"]["count"] > 0 and m["resolution"]["median_ms"] > 0,
    "first contact resolution": m["first_contact_resolution"]["percent"] is not None,
    "CSAT": m["csat"]["ratings"] > 0 and m["csat"]["percent"] is not None,
    "refund time": m["refunds"]["processing"]["count"] > 0,
}
failed = [name for name, ok in checks.items() if not ok]
if failed:
    print("missing: " + ", ".join(failed), file=sys.stderr)
    print(json.dumps({k: v for k, v in r.items() if k != "escalations_log"})[:2000], file=sys.stderr)
    sys.exit(1)
PY

# Again into the same store: the events are duplicates, the commands'
# request_ids answer from the first run, and nothing goes out twice.
replay >"$work/again.txt" || fail "the second replay exited $?"
grep -qx 'delivered to customers: none' "$work/again.txt" ||
  fail "the second replay delivered: $(grep '^delivered' "$work/again.txt")"
grep -qx 'order actions carried out: none' "$work/again.txt" ||
  fail "the second replay carried out: $(grep '^order actions' "$work/again.txt")"
echo "sample_day_agents_test: ok"

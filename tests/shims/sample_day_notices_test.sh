#!/usr/bin/env bash
# Signal over noise on the sample day (issue 13): the SLA and escalation
# notices the teams receive on scripts/run's main job (staff at work, the
# sample shop's hourly SLA digests) are at least 5 times fewer than on the
# day as it was replayed before (nobody working, a notice per case per
# step: digest_interval 0), and than the 225 the issue counted,
# and no red flag is lost: every red flag raised then is raised now, and
# each red flag's escalation notice went out at once, not in a digest.
#   sample_day_notices_test.sh ORDERCARE_HOST LIBRARY SOURCE_DIR
set -euo pipefail
host=$1 lib=$2 src=$3
data=$src/host_shims/c/data
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
fail() { echo "sample_day_notices_test: $*" >&2; exit 1; }

# run NAME SLA_JSON [--agents FILE]: replays the day on the sample shop's
# config with `sla` merged into its policy; keeps the host's lines and the
# escalations log.
run() {
  local name=$1 sla=$2
  shift 2
  python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
c["store"] = {"path": sys.argv[2]}
c.setdefault("policy", {}).setdefault("sla", {}).update(json.loads(sys.argv[3]))
print(json.dumps(c))' "$data/sample_shop.json" "$work/$name.db" "$sla" >"$work/$name.json"
  "$host" --lib "$lib" --config "$work/$name.json" --clock fixed:2026-11-06T00:00:00Z "$@" \
    replay "$data/sample_day.jsonl" >"$work/$name.txt" 2>&1 || fail "$name: replay exited $?"
  "$host" --lib "$lib" --config "$work/$name.json" --quiet --clock fixed:2026-11-20T23:59:00Z \
    report escalations.log '{}' --json >"$work/$name.escalations.json" || fail "$name: escalations.log exited $?"
}
run before '{"digest_interval": 0}'
run after '{}' --agents "$data/sample_day_agents.jsonl"

python3 - "$work" <<'PY' || fail "see above"
import json, re, sys
work = sys.argv[1]
TEAM = {"team_sla_warning", "team_sla_breached", "team_escalation", "team_sla_digest"}

def notices(name):
    # One line per callback attempt: count each notice (key) once.
    seen = {}
    for line in open(f"{work}/{name}.txt", encoding="utf-8"):
        m = re.match(r"\[host\] notify key=(\S+) attempt=\d+ (\{.*\})$", line.rstrip("\n"))
        if m:
            body = json.loads(m.group(2))
            if body.get("template") in TEAM:
                seen[m.group(1)] = body
    return seen

def red_flags(name):
    # The log's rows name the order and the flag in the issue ("... (red
    # flag: legal_threat (message says 'lawyer'))"), not the case; the
    # evidence may differ (a count of complaints), the flag may not.
    rows = json.load(open(f"{work}/{name}.escalations.json"))["rows"]
    return {(row.get("order_id"), re.search(r"red flag: (\w+)", row["issue"]).group(1))
            for row in rows if row["kind"] == "red_flag"}

before, after = notices("before"), notices("after")
flagged_before, flagged_after = red_flags("before"), red_flags("after")
print(f"SLA and escalation notices: before {len(before)}, after {len(after)}; "
      f"red flags: before {len(flagged_before)}, after {len(flagged_after)}")
problems = []
if not before or len(after) * 5 > len(before):
    problems.append(f"{len(after)} notices is not 5 times fewer than {len(before)}")
# The issue counted 225 on the day before any of this (an older engine):
# a fifth of that is the bar too.
if len(after) > 225 // 5:
    problems.append(f"{len(after)} notices is more than a fifth of the 225 the issue counted")
if not flagged_before:
    problems.append("the day has no red flag to keep")
lost = flagged_before - flagged_after
if lost:
    problems.append(f"red flags lost: {sorted(lost)}")
told_at_once = {b.get("order_id") for b in after.values() if b["template"] == "team_escalation"}
untold = {flag for flag in flagged_after if flag[0] not in told_at_once}
if untold:
    problems.append(f"red flags with no escalation notice of their own: {sorted(untold)}")
if not any(b["template"] == "team_sla_digest" for b in after.values()):
    problems.append("no SLA digest went out")
for p in problems:
    print("sample_day_notices_test:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "sample_day_notices_test: ok"

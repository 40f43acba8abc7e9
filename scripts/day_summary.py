#!/usr/bin/env python3
"""Prints what scripts/run shows of the sample day besides the plugin's own
reports.

    python3 scripts/day_summary.py REPORT.json REPLAY.txt REPORT_PATH...
    python3 scripts/day_summary.py --went-out EFFECTS.json

The first form is the short summary the results start with. REPORT.json is
report.daily's content as JSON (ordercare-host report report.daily
'{"date": ..., "format": "json"}'); REPLAY.txt the output of ordercare-host
replay, whose closing lines say what went out to customers and which order
actions the host carried out; REPORT_PATH the files the daily report was
written to, named in the summary.

The second lists, in time order, what the staff sent customers (replies and
macros, with who sent them), the surveys, the pickups the stores made ready,
what the warehouse's answers told customers, the replacements and return
labels the host carried out, and what returns
restocked and refunds the stores made, from effects.list {"status": "done"}
(the outbox as an operator sees it).
"""

import json
import sys

# What the customer hears when the warehouse answers CS (warehouse.* events).
WAREHOUSE_ANSWERS = ("warehouse_delay", "warehouse_delay_with_offer", "out_of_stock_choice_dated",
                     "out_of_stock_choice_substitute", "out_of_stock_choice_substitute_dated",
                     "damaged_at_pick_delay", "order_change_confirmed", "order_change_declined")

# Minor units per major unit (ISO 4217) for the currencies of the sample day.
EXPONENT = {"JPY": 0, "KWD": 3}


def money(amount):
    digits = EXPONENT.get(amount["currency"], 2)
    return "%.*f %s" % (digits, amount["amount"] / 10 ** digits, amount["currency"])


def duration(ms):
    if ms is None:
        return "no data"
    minutes, seconds = divmod(int(ms) // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return "%d h %02d min" % (hours, minutes)
    return "%d min %02d s" % (minutes, seconds)


def tally(replay, prefix):
    """{name: count} from a replay line "<prefix>: name n, name n"."""
    for line in replay:
        if line.startswith(prefix + ": "):
            rest = line[len(prefix) + 2:].strip()
            if rest == "none":
                return {}
            return {name: int(n) for name, n in (item.rsplit(" ", 1) for item in rest.split(", "))}
    return {}


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    replay = open(sys.argv[2], encoding="utf-8", errors="replace").read().splitlines()
    paths = sys.argv[3:]
    m = report["metrics"]
    log = report["escalations_log"]
    flags = [row for row in log if row["kind"] == "red_flag"]
    breaches = [row for row in log if row["kind"] == "sla_breach"]
    sent = tally(replay, "delivered to customers")
    actions = tally(replay, "order actions carried out")
    fr = m["first_response"]
    csat = m["csat"]
    fcr = m["first_contact_resolution"]
    refunds = m["refunds"]
    print("received   %d cases" % report["tickets_received"])
    print("resolved   %d (first contact resolution %s%%)" % (report["tickets_resolved"], fcr["percent"]))
    print("open       %d at the end of the day" % report["pending_tickets"])
    print("breaches   %d SLA breaches, %d escalations in all" % (len(breaches), report["escalations"]))
    resolvers = sorted({row["resolved_by"] for row in flags if row["status"] == "resolved"})
    print("red flags  %d, %d resolved%s"
          % (len(flags), sum(1 for row in flags if row["status"] == "resolved"),
             " (by %s)" % ", ".join(resolvers) if resolvers else ""))
    print("refunds    %d processed: %s (median %s from the customer's ask)"
          % (report["refunds_processed"], ", ".join(money(a) for a in report["refunded"]) or "none",
             duration(refunds["processing"]["median_ms"])))
    print("times      first response median %s, resolution median %s; CSAT %s%% of %d ratings"
          % (duration(fr["median_ms"]), duration(m["resolution"]["median_ms"]), csat["percent"],
             csat["ratings"]))
    print("went out   %d agent replies, %d macros, %d surveys; %d replacements, %d return labels, "
          "%d refunds"
          % (sent.get("agent_reply", 0),
             sum(1 for line in replay if " done case.send_template " in line),
             sent.get("feedback_survey", 0) + sent.get("feedback_survey_with_reward", 0),
             actions.get("reship", 0) + actions.get("exchange", 0), actions.get("return_label", 0),
             report["refunds_processed"]))
    left = [row for row in log if "left unprocessed" in row.get("issue", "")]
    print("stores     %d pickups ready and the customer told; %d store returns left unprocessed "
          "at closing" % (sent.get("store_pickup_ready", 0), len(left)))
    print("warehouse  %d answers to CS passed on to customers (new ship dates, offers, restock "
          "dates, substitutes)" % sum(sent.get(t, 0) for t in WAREHOUSE_ANSWERS))
    print("report     %s" % " and ".join(paths))


def went_out(path):
    effects = json.load(open(path, encoding="utf-8"))["effects"]
    rows = []
    for effect in effects:
        p = effect["payload"]
        if effect["kind"] == "notify" and p.get("audience") == "customer":
            template = p.get("template", "")
            if "agent" in p:
                what, detail = template, "by %s on %s" % (p["agent"], p.get("channel", "-"))
            elif template.startswith("feedback_survey"):
                what, detail = template, "survey on %s" % p.get("channel", "-")
            elif template == "store_pickup_ready":
                what = "pickup ready"
                detail = "at %s" % p.get("variables", {}).get("pickup.location", "-")
            elif template in WAREHOUSE_ANSWERS:
                v = p.get("variables", {})
                what = "warehouse answer"
                detail = "%s %s" % (template, v.get("ship_date") or v.get("restock_date") or "")
            else:
                continue
        elif effect["kind"] == "adjust_inventory" and p.get("reason") == "return_restock":
            what = "restock"
            detail = "%s %+d at %s (return %s)" % (p["sku"], p["delta"], p["location"],
                                                  p.get("return_id", "-"))
        elif effect["kind"] == "refund" and p.get("reason", "").startswith("return processed at store"):
            what = "store refund"
            detail = "%s (return %s, %s)" % (money(p["amount"]), p.get("return_id", "-"), p["reason"])
        elif effect["kind"] == "order_action" and p.get("action") in ("reship", "exchange",
                                                                        "return_label"):
            r = effect["result"] or {}
            what = p["action"]
            detail = "%s %s" % (r.get("carrier", ""), r.get("tracking_number", ""))
            if r.get("label_url"):
                detail += " " + r["label_url"]
            detail += " (%s)" % p.get("reason", "")
        else:
            continue
        rows.append((effect["created_at"], what, effect.get("case_id") or "-",
                     effect.get("order_id") or "-", detail.strip()))
    rows.sort()
    for when, what, case, order, detail in rows:
        print("%s  %-20s %-15s %-10s %s" % (when[11:16], what, case, order, detail))
    counts = {}
    for row in rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    print("%d in all: %s" % (len(rows), ", ".join("%s %d" % item for item in sorted(counts.items()))))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--went-out"]:
        went_out(sys.argv[2])
    else:
        main()
